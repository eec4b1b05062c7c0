package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Ids come from Moodle's own sequences ({@code <prefix><table>_id_seq}), taken in one round trip
 * per batch, so Moodle's later inserts never collide with ours and rows can reference each other
 * (a user and its context) before they are written.
 */
final class Ids {
    private Ids() {
    }

    static long[] next(Connection c, MoodleDatabase db, String table, int count) throws SQLException {
        long[] ids = new long[count];
        if (count == 0) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval(?::regclass) FROM generate_series(1, ?)")) {
            ps.setString(1, db.table(table) + "_id_seq");
            ps.setInt(2, count);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    ids[i++] = rs.getLong(1);
                }
            }
        }
        java.util.Arrays.sort(ids);
        return ids;
    }
}
