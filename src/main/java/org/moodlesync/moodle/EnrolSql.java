package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/** Statements the enrolment writers (instances, meta links, cohort links) share. */
final class EnrolSql {
    private EnrolSql() {
    }

    /** The sortorder a new enrol instance of the course takes: after the others. */
    static long nextSortorder(Connection c, MoodleDatabase db, long courseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(max(sortorder) + 1, 0) FROM " + db.table("enrol") + " WHERE courseid = ?")) {
            ps.setLong(1, courseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Runs a write that returns the affected user ids (RETURNING userid), adds them to
     * {@code touched} for the dirty-user flags, and returns how many rows it wrote.
     * Long[] parameters are bound as bigint arrays.
     */
    static int collect(Connection c, Set<Long> touched, String sql, Object... params) throws SQLException {
        int rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof Long[] array) {
                    ps.setArray(i + 1, c.createArrayOf("bigint", array));
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    touched.add(rs.getLong(1));
                    rows++;
                }
            }
        }
        return rows;
    }

    /** Enables (status 0) or disables (1) an enrolment instance, as enrol_plugin::update_status() does. */
    static void setStatus(Connection c, MoodleDatabase db, long instance, int status, long now) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("enrol") + " SET status = ?, timemodified = ? WHERE id = ?")) {
            ps.setInt(1, status);
            ps.setLong(2, now);
            ps.setLong(3, instance);
            ps.executeUpdate();
        }
    }
}
