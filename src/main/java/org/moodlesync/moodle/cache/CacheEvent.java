package org.moodlesync.moodle.cache;

import java.util.List;

/**
 * The invalidation events Moodle raises with cache_helper::purge_by_event() after the changes
 * moodle-sync makes too, with the application-mode definitions each one purges (Moodle 5.0's
 * lib/db/caches.php). The session and request caches listening to them (coursecat,
 * calendar_categories, contentbank_*, moodlenet_usercanshare, coursecatrecords) cannot be
 * reached from outside Moodle's processes: only Moodle's own purge_by_event() reaches them.
 */
public enum CacheEvent {
    /** Categories created, moved, renamed, deleted, renumbered, or their course counts changed. */
    CHANGES_IN_COURSECAT("changesincoursecat", List.of(CacheDefinition.COURSECATTREE)),
    /** Courses created, updated, moved, deleted or renumbered. */
    CHANGES_IN_COURSE("changesincourse", List.of()),
    /** Role assignments at course level or above (core_course_category::role_assignment_changed()). */
    CHANGES_IN_CATEGORY_ENROLMENT("changesincategoryenrolment", List.of());

    private final String moodleName;
    private final List<CacheDefinition> applicationDefinitions;

    CacheEvent(String moodleName, List<CacheDefinition> applicationDefinitions) {
        this.moodleName = moodleName;
        this.applicationDefinitions = applicationDefinitions;
    }

    /** The event's name in Moodle. */
    public String moodleName() {
        return moodleName;
    }

    /** The application caches the event purges: what a file store strategy removes for it. */
    public List<CacheDefinition> applicationDefinitions() {
        return applicationDefinitions;
    }
}
