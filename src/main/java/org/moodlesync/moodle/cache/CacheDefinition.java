package org.moodlesync.moodle.cache;

/**
 * The cache definitions of Moodle's MUC (lib/db/caches.php) that moodle-sync's writes make
 * stale and that are invalidated by definition (with keys, or purged whole). Definitions only
 * reached through an event are named by {@link CacheEvent}.
 */
public enum CacheDefinition {
    /** Application cache, the whole category tree; invalidated by the changesincoursecat event. */
    COURSECATTREE("core", "coursecattree"),
    /** Application cache of a course's groups and groupings, keyed by course id (groups_create_group()...). */
    GROUPDATA("core", "groupdata"),
    /** Application cache of a user's groups and groupings, keyed by user id (groups_add_member()...). */
    USER_GROUP_GROUPINGS("core", "user_group_groupings"),
    /** Application cache of the course contacts shown in course listings, keyed by course id (role_assignment_changed()). */
    COURSECONTACTS("core", "coursecontacts"),
    /** Application cache of a course's modules and sections, keyed by course id and versioned by course.cacherev. */
    COURSEMODINFO("core", "coursemodinfo");

    private final String component;
    private final String area;

    CacheDefinition(String component, String area) {
        this.component = component;
        this.area = area;
    }

    public String component() {
        return component;
    }

    public String area() {
        return area;
    }

    /** "core/groupdata", as Moodle names a definition. */
    public String id() {
        return component + "/" + area;
    }

    /** "core_groupdata": the definition's folder in Moodle's file store. */
    public String folder() {
        return component + "_" + area;
    }
}
