package org.moodlesync.feed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The file formats of the courses feeds (tool_sync §2.3 and §2.6). */
final class CoursesFeedDefinitions {
    private CoursesFeedDefinitions() {
    }

    /** tool_sync columns Moodle sets by itself; read and ignored. */
    static final Set<String> IGNORED = Set.of("sortorder", "marker", "legacyfiles", "visibleold", "timecreated", "timemodified",
            "defaultgroupingid", "coursedisplay");

    static FeedDefinition courses() {
        Set<String> optional = new java.util.HashSet<>(Set.of("category", "idnumber", "summary", "format", "visible", "startdate", "enddate",
                "lang", "theme", "groupmode", "groupmodeforce", "showgrades", "newsitems", "maxbytes", "enablecompletion", "showreports",
                "self", "guest", "id", "template"));
        optional.addAll(IGNORED);
        Map<Pattern, String> deferred = new LinkedHashMap<>();
        return new FeedDefinition("courses", "uploadcourses.csv", 20, Set.of("shortname", "fullname"), Set.copyOf(optional),
                List.of(CourseLineParser.TOPIC, CourseLineParser.TEACHER), deferred, null, true);
    }

    /** Reset columns whose data only Moodle's activity plugins and core reset can clear. */
    static final Set<String> RESET_BY_MOODLE_ONLY = Set.of("events", "logs", "notes", "grades", "modules", "blog_associations", "comments",
            "completion", "forum_all", "forum_subscriptions", "glossary_all", "chat", "data", "slots", "apointments", "assignment_submissions",
            "assign_submissions", "survey_answers", "lesson", "choice", "scorm", "quiz_attempts");

    /** resetcourses.csv: the course identifier column (named after courses.identity) and what to reset. */
    static FeedDefinition reset() {
        Set<String> optional = new java.util.HashSet<>(RESET_BY_MOODLE_ONLY);
        optional.addAll(Set.of("shortname", "idnumber", "id", "roles", "local_roles", "groups", "groupings"));
        return new FeedDefinition("courses-reset", "resetcourses.csv", 30, Set.of(), Set.copyOf(optional), List.of(), Map.of(), null, true);
    }

    /** metacourses.csv: master (parent) and meta (child) courses, cmd add (default) or del. */
    static FeedDefinition meta() {
        return new FeedDefinition("courses-meta", "metacourses.csv", 50, Set.of("master", "meta"), Set.of("cmd"), List.of(), Map.of(), null, true);
    }

    /** deletecourses.csv has no header: one course identifier per line. */
    static FeedDefinition delete() {
        return new FeedDefinition("courses-delete", "deletecourses.csv", 10, Set.of(), Set.of("course"), List.of(), Map.of(), List.of("course"), true);
    }

    /** courses.csv has no header: a course identifier per line, optionally followed by a description. */
    static FeedDefinition check() {
        return new FeedDefinition("courses-check", "courses.csv", 40, Set.of(), Set.of("course", "description"), List.of(), Map.of(),
                List.of("course", "description"), true);
    }
}
