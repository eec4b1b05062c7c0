package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Custom profile fields: their definitions by shortname, and profile_save_data() set-wise. */
public final class ProfileFields {
    private final MoodleDatabase db;

    public ProfileFields(MoodleDatabase db) {
        this.db = db;
    }

    public Map<String, ProfileField> definitions(Connection c) throws SQLException {
        Map<String, ProfileField> defs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, shortname, datatype, param1, param2 FROM " + db.table("user_info_field"));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                defs.put(rs.getString(2).toLowerCase(java.util.Locale.ROOT),
                        new ProfileField(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return defs;
    }

    /** userid → fieldid → data, for the given users. */
    public Map<Long, Map<Long, String>> values(Connection c, long[] userIds) throws SQLException {
        Map<Long, Map<Long, String>> values = new HashMap<>();
        if (userIds.length == 0) {
            return values;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT userid, fieldid, data FROM " + db.table("user_info_data") + " WHERE userid = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", Contexts.box(userIds)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getString(3));
                }
            }
        }
        return values;
    }

    public record Value(long userId, long fieldId, String data) {
    }

    /** Inserts or replaces the values (one row per user and field, as Moodle keeps them). */
    public void save(Connection c, List<Value> values) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table("user_info_data")
                + " (userid, fieldid, data, dataformat) VALUES (?, ?, ?, 0) ON CONFLICT (userid, fieldid) DO UPDATE SET data = EXCLUDED.data")) {
            for (Value v : values) {
                ps.setLong(1, v.userId());
                ps.setLong(2, v.fieldId());
                ps.setString(3, v.data());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
