package org.moodlesync.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.MoodleInvariants;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedMoodleTest {

    private static EmbeddedMoodle db;

    @BeforeAll
    static void startDb() throws Exception {
        db = EmbeddedMoodle.start(null, "mdl_", true);
    }

    @AfterAll
    static void stopDb() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), "no row: " + sql);
            return rs.getString(1);
        }
    }

    @Test
    void freshSeedLooksLikeAFreshMoodle() throws Exception {
        assertTrue(db.createdSchema());
        assertTrue(db.jdbcUrl().endsWith("/moodle"));
        try (Connection c = db.connect()) {
            assertTrue(MoodleSchema.exists(c, "mdl_"));
            assertFalse(MoodleSchema.exists(c, "nope_"));
            assertEquals("/1|1|10|0", one(c, "SELECT path || '|' || depth || '|' || contextlevel || '|' || instanceid FROM mdl_context WHERE id = 1"));
            assertEquals("0|site|1|demo", one(c, "SELECT category || '|' || format || '|' || sortorder || '|' || shortname FROM mdl_course WHERE id = 1"));
            assertEquals("/1/2|2", one(c, "SELECT path || '|' || depth FROM mdl_context WHERE contextlevel = 50 AND instanceid = 1"));
            assertEquals("Category 1|0|10000|1|/1|0", one(c,
                "SELECT name || '|' || parent || '|' || sortorder || '|' || depth || '|' || path || '|' || coursecount FROM mdl_course_categories WHERE id = 1"));
            assertEquals("3|/1/3|2", one(c, "SELECT id || '|' || path || '|' || depth FROM mdl_context WHERE contextlevel = 40 AND instanceid = 1"));
            assertEquals("4", one(c, "SELECT id FROM mdl_context WHERE contextlevel = 30 AND instanceid = 1"));
            assertEquals("5", one(c, "SELECT id FROM mdl_context WHERE contextlevel = 30 AND instanceid = 2"));
            assertEquals("guest,admin", one(c, "SELECT string_agg(username, ',' ORDER BY id) FROM mdl_user"));
            assertEquals("5", one(c, "SELECT count(*) FROM mdl_context WHERE contextlevel = 80"));
            assertEquals("10", one(c, "SELECT count(*) FROM mdl_context"));
            assertEquals("8", one(c, "SELECT count(*) FROM mdl_role"));
            assertEquals("manager,coursecreator,editingteacher,teacher,student,guest,user,frontpage",
                one(c, "SELECT string_agg(shortname, ',' ORDER BY sortorder) FROM mdl_role"));
            assertEquals("11", one(c, "SELECT count(*) FROM mdl_role_context_levels"));
            assertEquals("10,40,50", one(c, "SELECT string_agg(contextlevel::text, ',' ORDER BY contextlevel) FROM mdl_role_context_levels WHERE roleid = 1"));
            assertEquals("2025041406.11", one(c, "SELECT value FROM mdl_config WHERE name = 'version'"));
            assertEquals("manual,guest,self,cohort", one(c, "SELECT value FROM mdl_config WHERE name = 'enrol_plugins_enabled'"));
            assertEquals("5", one(c, "SELECT value FROM mdl_config_plugins WHERE plugin = 'enrol_manual' AND name = 'roleid'"));
            assertEquals("2025041400", one(c, "SELECT value FROM mdl_config_plugins WHERE plugin = 'auth_manual' AND name = 'version'"));
            assertEquals("1", one(c, "SELECT count(*) FROM mdl_modules WHERE name = 'forum' AND visible = 1"));
            assertTrue(one(c, "SELECT password FROM mdl_user WHERE id = 2").startsWith("$6$rounds=10000$"));
            assertEquals("UTF8", one(c, "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'moodle'"));
        }
    }

    /** The id nextval would return, without consuming it. */
    private static String nextId(Connection c, String seq) throws SQLException {
        return one(c, "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM " + seq);
    }

    @Test
    void sequencesContinueAfterTheFreshIds() throws Exception {
        try (Connection c = db.connect()) {
            assertEquals("11", nextId(c, "mdl_context_id_seq"));
            assertEquals("3", nextId(c, "mdl_user_id_seq"));
            assertEquals("2", nextId(c, "mdl_course_id_seq"));
            assertEquals("2", nextId(c, "mdl_course_categories_id_seq"));
            assertEquals("9", nextId(c, "mdl_role_id_seq"));
            assertEquals("12", nextId(c, "mdl_role_context_levels_id_seq"));
            assertEquals("6", nextId(c, "mdl_block_instances_id_seq"));
            assertEquals("24", nextId(c, "mdl_modules_id_seq"));
            assertEquals("1", nextId(c, "mdl_enrol_id_seq"));
            assertEquals("mdl_context_id_seq",
                one(c, "SELECT pg_get_serial_sequence('mdl_context', 'id')").replace("public.", ""));
        }
        // consuming check on a schema of its own, so other tests' sequences stay untouched
        db.ensureSchema("seq_");
        try (Connection c = db.connect()) {
            assertEquals("11", one(c, "SELECT nextval('seq_context_id_seq')"));
            assertEquals("3", one(c, "SELECT nextval('seq_user_id_seq')"));
            assertEquals("2", one(c, "SELECT nextval('seq_course_id_seq')"));
            assertEquals("2", one(c, "SELECT nextval('seq_course_categories_id_seq')"));
            assertEquals("9", one(c, "SELECT nextval('seq_role_id_seq')"));
        }
    }

    @Test
    void uniqueIndexesAreEnforced() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO mdl_user (auth, confirmed, mnethostid, username) VALUES ('manual', 1, 1, 'admin')"));
                assertEquals("23505", e.getSQLState());
            } finally {
                c.rollback();
            }
            try {
                SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO mdl_context (contextlevel, instanceid, path, depth) VALUES (30, 2, '/1/99', 2)"));
                assertEquals("23505", e.getSQLState());
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void freshSeedHasNoInvariantViolations() throws Exception {
        try (Connection c = db.connect()) {
            MoodleInvariants.assertNone(c, "mdl_");
        }
    }

    @Test
    void brokenRowsAreReported() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                // a user without context, with an upper-case username
                st.executeUpdate("INSERT INTO mdl_user (id, auth, confirmed, mnethostid, username) VALUES (1000, 'manual', 1, 1, 'Bob')");
                // a course in category 1 without context, section 0, coursecount or proper sortorder
                st.executeUpdate("INSERT INTO mdl_course (id, category, sortorder, fullname, shortname) VALUES (1000, 1, 5, 'X', 'x')");
                // an enrolment on a missing instance
                st.executeUpdate("INSERT INTO mdl_user_enrolments (enrolid, userid) VALUES (424242, 2)");
                List<String> v = MoodleInvariants.violations(c, "mdl_");
                String all = String.join("\n", v);
                assertTrue(all.contains("non-deleted user without context: user 1000 Bob"), all);
                assertTrue(all.contains("username not lower case: user 1000 Bob"), all);
                assertTrue(all.contains("course without context: course 1000"), all);
                assertTrue(all.contains("course without course_sections section 0: course 1000"), all);
                assertTrue(all.contains("category coursecount differs"), all);
                assertTrue(all.contains("course sortorder not contiguous"), all);
                assertTrue(all.contains("user_enrolments on a missing enrol instance"), all);
                AssertionError err = assertThrows(AssertionError.class, () -> MoodleInvariants.assertNone(c, "mdl_"));
                assertTrue(err.getMessage().contains("Moodle invariant violation"));
            } finally {
                c.rollback();
            }
            c.setAutoCommit(false);
            try {
                // a deleted user that kept its context and a preference, and a bad category path
                st.executeUpdate("UPDATE mdl_user SET deleted = 1 WHERE id = 2");
                st.executeUpdate("INSERT INTO mdl_user_preferences (userid, name, value) VALUES (2, 'x', 'y')");
                st.executeUpdate("UPDATE mdl_course_categories SET path = '/7', sortorder = 3 WHERE id = 1");
                String all = String.join("\n", MoodleInvariants.violations(c, "mdl_"));
                assertTrue(all.contains("deleted user still has a context: user 2"), all);
                assertTrue(all.contains("deleted user still has rows in user tables: user 2 in user_preferences"), all);
                assertTrue(all.contains("category path/depth wrong: category 1") || all.contains("category path/depth wrong (want"), all);
                assertTrue(all.contains("category sortorder is not 10000 x pre-order position: category 1 sortorder 3 want 10000"), all);
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void otherPrefixWorksInTheSameDatabase() throws Exception {
        db.ensureSchema("xyz_");
        try (Connection c = db.connect()) {
            assertTrue(MoodleSchema.exists(c, "xyz_"));
            assertEquals("8", one(c, "SELECT count(*) FROM xyz_role"));
            assertEquals("xyz_context_id_seq", one(c, "SELECT pg_get_serial_sequence('xyz_context', 'id')").replace("public.", ""));
            assertEquals("/1/3", one(c, "SELECT path FROM xyz_context WHERE id = 3"));
            MoodleInvariants.assertNone(c, "xyz_");
            db.ensureSchema("xyz_"); // idempotent
        }
    }

    @Test
    void persistentDataDirectorySurvivesRestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        try (EmbeddedMoodle first = EmbeddedMoodle.start(data, "abc_", true)) {
            assertTrue(first.createdSchema());
            try (Connection c = first.connect(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO abc_config (name, value) VALUES ('marker', 'kept')");
            }
        }
        try (EmbeddedMoodle second = EmbeddedMoodle.start(data, "abc_")) {
            assertFalse(second.createdSchema());
            try (Connection c = second.connect()) {
                assertEquals("kept", one(c, "SELECT value FROM abc_config WHERE name = 'marker'"));
            }
        }
    }
}
