package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * delete_course() for courses that hold nothing but what Moodle adds by itself: the course, its
 * context and every context below it (with their role assignments, blocks and file records),
 * sections, format options, enrol instances and their enrolments, groups, groupings and their
 * memberships, last accesses, then the category's course count and the sortorders of the
 * courses left. Courses with activities are never deleted by writing tables (their modules'
 * own data lives in tables only Moodle's plugins know): see {@link #activityCounts}.
 */
public final class CourseDeletion {
    /** Course tables keyed by courseid that the site may have (grades, events, completion...). */
    private static final List<String> OPTIONAL_BY_COURSEID = List.of("user_lastaccess", "grade_items", "grade_categories", "grade_settings",
            "event", "course_completion_aggr_methd", "course_published", "badge");
    /** Course tables keyed by course; forum and forum_discussions hold the Announcements forum Moodle adds to every course. */
    private static final List<String> OPTIONAL_BY_COURSE = List.of("course_completions", "course_completion_criteria", "course_modules",
            "forum_discussions", "forum");
    /** Tables keyed by forum (column, table) that hold the course forum's subscriptions, read marks and grades. */
    private static final Map<String, String> OPTIONAL_BY_FORUM = Map.of("forum_subscriptions", "forum", "forum_digests", "forum",
            "forum_discussion_subs", "forum", "forum_grades", "forum", "forum_read", "forumid", "forum_track_prefs", "forumid");
    /** Tables keyed by context that the site may have: what context::delete_content() empties besides files and blocks. */
    private static final List<String> OPTIONAL_BY_CONTEXTID = List.of("role_capabilities", "role_names", "filter_active", "filter_config",
            "comments", "rating", "grading_areas");

    private final MoodleDatabase db;
    private final SchemaInfo schema;

    public CourseDeletion(MoodleDatabase db, SchemaInfo schema) {
        this.db = db;
        this.schema = schema;
    }

    /** Activities per course, not counting the course forum (Announcements or Social) create_course() adds. Courses without any are absent. */
    public Map<Long, Integer> activityCounts(Connection c, long[] courseIds) throws SQLException {
        Map<Long, Integer> counts = new HashMap<>();
        boolean forums = schema.hasTable("forum");
        String sql = "SELECT cm.course, count(*) FROM " + db.table("course_modules") + " cm JOIN " + db.table("modules") + " m ON m.id = cm.module"
                + (forums ? " LEFT JOIN " + db.table("forum") + " f ON m.name = 'forum' AND f.id = cm.instance" : "")
                + " WHERE cm.course = ANY(?)" + (forums ? " AND COALESCE(f.type, '') NOT IN ('news', 'social')" : "") + " GROUP BY cm.course";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", Contexts.box(courseIds)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getLong(1), rs.getInt(2));
                }
            }
        }
        return counts;
    }

    public void delete(Connection c, MoodleCourses courses, MoodleCategories categories, CategoryTree tree, List<Course> doomed) throws SQLException {
        if (doomed.isEmpty()) {
            return;
        }
        Long[] ids = doomed.stream().map(Course::id).toArray(Long[]::new);
        List<String> paths = new ArrayList<>();
        List<String> below = new ArrayList<>();
        for (Course co : doomed) {
            if (co.contextPath() != null) {
                paths.add(co.contextPath());
                below.add(co.contextPath() + "/%");
            }
        }
        String contexts = "SELECT id FROM " + db.table("context") + " WHERE path = ANY(?) OR path LIKE ANY(?)";
        deleteInContexts(c, "role_assignments", "contextid", contexts, paths, below);
        for (String table : OPTIONAL_BY_CONTEXTID) {
            if (schema.hasColumn(table, "contextid")) {
                deleteInContexts(c, table, "contextid", contexts, paths, below);
            }
        }
        deleteInContexts(c, "files", "contextid", contexts, paths, below);
        if (schema.hasTable("block_positions")) {
            deleteInContexts(c, "block_positions", "contextid", contexts, paths, below);
        }
        deleteInContexts(c, "block_instances", "parentcontextid", contexts, paths, below);
        deleteInContexts(c, "context", "id", contexts, paths, below);

        execute(c, "DELETE FROM " + db.table("user_enrolments") + " WHERE enrolid IN (SELECT id FROM " + db.table("enrol") + " WHERE courseid = ANY(?))", ids);
        execute(c, "DELETE FROM " + db.table("enrol") + " WHERE courseid = ANY(?)", ids);
        execute(c, "DELETE FROM " + db.table("groups_members") + " WHERE groupid IN (SELECT id FROM " + db.table("groups") + " WHERE courseid = ANY(?))", ids);
        execute(c, "DELETE FROM " + db.table("groupings_groups") + " WHERE groupingid IN (SELECT id FROM " + db.table("groupings") + " WHERE courseid = ANY(?))", ids);
        execute(c, "DELETE FROM " + db.table("groups") + " WHERE courseid = ANY(?)", ids);
        execute(c, "DELETE FROM " + db.table("groupings") + " WHERE courseid = ANY(?)", ids);
        execute(c, "DELETE FROM " + db.table("course_format_options") + " WHERE courseid = ANY(?)", ids);
        execute(c, "DELETE FROM " + db.table("course_sections") + " WHERE course = ANY(?)", ids);
        if (schema.hasColumn("forum_posts", "discussion") && schema.hasColumn("forum_discussions", "course")) {
            execute(c, "DELETE FROM " + db.table("forum_posts") + " WHERE discussion IN (SELECT id FROM " + db.table("forum_discussions")
                    + " WHERE course = ANY(?))", ids);
        }
        if (schema.hasColumn("grade_grades", "itemid") && schema.hasColumn("grade_items", "courseid")) {
            execute(c, "DELETE FROM " + db.table("grade_grades") + " WHERE itemid IN (SELECT id FROM " + db.table("grade_items") + " WHERE courseid = ANY(?))", ids);
        }
        for (String table : OPTIONAL_BY_COURSEID) {
            if (schema.hasColumn(table, "courseid")) {
                execute(c, "DELETE FROM " + db.table(table) + " WHERE courseid = ANY(?)", ids);
            }
        }
        if (schema.hasColumn("forum", "course")) {
            for (Map.Entry<String, String> byForum : OPTIONAL_BY_FORUM.entrySet()) {
                if (schema.hasColumn(byForum.getKey(), byForum.getValue())) {
                    execute(c, "DELETE FROM " + db.table(byForum.getKey()) + " WHERE " + byForum.getValue() + " IN (SELECT id FROM "
                            + db.table("forum") + " WHERE course = ANY(?))", ids);
                }
            }
        }
        for (String table : OPTIONAL_BY_COURSE) {
            if (schema.hasColumn(table, "course")) {
                execute(c, "DELETE FROM " + db.table(table) + " WHERE course = ANY(?)", ids);
            }
        }
        execute(c, "DELETE FROM " + db.table("course") + " WHERE id = ANY(?)", ids);

        Map<Long, Integer> delta = new HashMap<>();
        for (Course co : doomed) {
            delta.merge(co.category(), -1, Integer::sum);
        }
        categories.adjustCourseCount(c, tree, delta);
        courses.renumber(c, tree, delta.keySet());
        // delete_course(): changesincourse; their groups, roles and enrolments went too
        List<Long> gone = List.of(ids);
        db.caches(c).coursesChanged();
        db.caches(c).courseRolesChanged(gone);
        db.caches(c).enrolmentsChanged(gone);
        gone.forEach(db.caches(c)::groupsRestructured);
    }

    private void deleteInContexts(Connection c, String table, String column, String contexts, List<String> paths, List<String> below) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table(table) + " WHERE " + column + " IN (" + contexts + ")")) {
            ps.setArray(1, c.createArrayOf("varchar", paths.toArray()));
            ps.setArray(2, c.createArrayOf("varchar", below.toArray()));
            ps.executeUpdate();
        }
    }

    private static void execute(Connection c, String sql, Long[] ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.executeUpdate();
        }
    }

}
