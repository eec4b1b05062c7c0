package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What core_course_category::delete_full() does to a category's context besides deleting it:
 * cohorts move up (cohort_delete_category), the category's events go, and context::delete()
 * removes the context's content (blocks with their own contexts, files, role assignments and
 * overrides, filters, comments, ratings, grade letters, content bank items, repositories).
 * Tables a site does not have are skipped, so this runs on every supported Moodle version.
 */
final class CategoryContextCleanup {
    /** Tables whose rows belong to one context through a {@code contextid} column. */
    private static final List<String> BY_CONTEXT = List.of("role_assignments", "role_names", "role_capabilities",
            "filter_active", "filter_config", "comments", "rating", "grade_letters", "contentbank_content", "files");

    private final MoodleDatabase db;
    private final SchemaInfo schema;

    CategoryContextCleanup(MoodleDatabase db, SchemaInfo schema) {
        this.db = db;
        this.schema = schema;
    }

    /**
     * Contexts holding question bank categories. Deleting those needs Moodle's question API
     * (questions may be in use by quizzes elsewhere), so such a category is never "empty" here.
     */
    Set<Long> holdingQuestions(Connection c, Long[] contextIds) throws SQLException {
        Set<Long> found = new HashSet<>();
        if (contextIds.length == 0 || !schema.hasTable("question_categories")) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT contextid FROM " + db.table("question_categories")
                + " WHERE contextid = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", contextIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        }
        return found;
    }

    /** cohort_delete_category(): cohorts are kept (enrolments may use them) and move to the given context. */
    void moveCohorts(Connection c, Map<Long, Long> targetByContext) throws SQLException {
        if (targetByContext.isEmpty() || !schema.hasTable("cohort")) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("cohort") + " ch SET contextid = m.target"
                + " FROM unnest(?::bigint[], ?::bigint[]) AS m(old, target) WHERE ch.contextid = m.old")) {
            ps.setArray(1, c.createArrayOf("bigint", targetByContext.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("bigint", targetByContext.values().toArray()));
            ps.executeUpdate();
        }
    }

    /** The category's calendar events ({@code event.categoryid}). */
    void deleteEvents(Connection c, Long[] categoryIds) throws SQLException {
        if (schema.hasTable("event")) {
            deleteWhere(c, "event", "categoryid", categoryIds);
        }
    }

    /** context::delete_content() for the category contexts, and the blocks living in them with their contexts. */
    void deleteContent(Connection c, Long[] contextIds) throws SQLException {
        if (contextIds.length == 0) {
            return;
        }
        List<Long> blockIds = ids(c, "SELECT id FROM " + db.table("block_instances") + " WHERE parentcontextid = ANY(?)", contextIds);
        Long[] blocks = blockIds.toArray(new Long[0]);
        List<Long> all = new ArrayList<>(List.of(contextIds));
        if (blocks.length > 0) {
            all.addAll(ids(c, "SELECT id FROM " + db.table("context") + " WHERE contextlevel = " + ContextLevel.BLOCK.level
                    + " AND instanceid = ANY(?)", blocks));
        }
        Long[] everyContext = all.toArray(new Long[0]);
        for (String table : BY_CONTEXT) {
            if (schema.hasTable(table)) {
                deleteWhere(c, table, "contextid", everyContext);
            }
        }
        if (schema.hasTable("repository_instances")) {
            if (schema.hasTable("repository_instance_config")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("repository_instance_config")
                        + " WHERE instanceid IN (SELECT id FROM " + db.table("repository_instances") + " WHERE contextid = ANY(?))")) {
                    ps.setArray(1, c.createArrayOf("bigint", everyContext));
                    ps.executeUpdate();
                }
            }
            deleteWhere(c, "repository_instances", "contextid", everyContext);
        }
        if (blocks.length > 0) {
            if (schema.hasTable("block_positions")) {
                deleteWhere(c, "block_positions", "blockinstanceid", blocks);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("context") + " WHERE contextlevel = "
                    + ContextLevel.BLOCK.level + " AND instanceid = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", blocks));
                ps.executeUpdate();
            }
            deleteWhere(c, "block_instances", "id", blocks);
        }
    }

    private List<Long> ids(Connection c, String sql, Long[] keys) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private void deleteWhere(Connection c, String table, String column, Long[] keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table(table) + " WHERE " + column + " = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", keys));
            ps.executeUpdate();
        }
    }
}
