package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * set_cache_flag(): rows of {@code cache_flags} that tell logged-in users' sessions to reload
 * something (their access, their preferences). Moodle keeps one row per (flagtype, name).
 */
final class CacheFlags {
    private CacheFlags() {
    }

    static void set(Connection c, MoodleDatabase db, String flagType, Collection<Long> names, long now, long expiry) throws SQLException {
        if (names.isEmpty()) {
            return;
        }
        Long[] ids = names.toArray(new Long[0]);
        String[] asText = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            asText[i] = Long.toString(ids[i]);
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + db.table("cache_flags") + " WHERE flagtype = ? AND name = ANY(?)")) {
            del.setString(1, flagType);
            del.setArray(2, c.createArrayOf("varchar", asText));
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + db.table("cache_flags")
                + " (flagtype, name, timemodified, value, expiry) SELECT ?, n, ?, '1', ? FROM unnest(?) AS n")) {
            ins.setString(1, flagType);
            ins.setLong(2, now);
            ins.setLong(3, expiry);
            ins.setArray(4, c.createArrayOf("varchar", asText));
            ins.executeUpdate();
        }
        db.grew("cache_flags", asText.length);
    }
}
