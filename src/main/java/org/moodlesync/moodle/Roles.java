package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The site's roles by shortname, with the context levels each can be assigned at (role_context_levels). */
public final class Roles {
    private final Map<String, Long> byShortname;
    private final Map<Long, Set<Integer>> levels;

    private Roles(Map<String, Long> byShortname, Map<Long, Set<Integer>> levels) {
        this.byShortname = byShortname;
        this.levels = levels;
    }

    public static Roles load(Connection c, MoodleDatabase db) throws SQLException {
        Map<String, Long> byShortname = new HashMap<>();
        Map<Long, Set<Integer>> levels = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, shortname FROM " + db.table("role"));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byShortname.put(rs.getString(2), rs.getLong(1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT roleid, contextlevel FROM " + db.table("role_context_levels"));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                levels.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getInt(2));
            }
        }
        return new Roles(byShortname, levels);
    }

    public Optional<Long> id(String shortname) {
        return Optional.ofNullable(byShortname.get(shortname));
    }

    public String shortname(long roleId) {
        return byShortname.entrySet().stream().filter(e -> e.getValue() == roleId).map(Map.Entry::getKey).findFirst().orElse("#" + roleId);
    }

    public boolean assignableAt(long roleId, ContextLevel level) {
        return levels.getOrDefault(roleId, Set.of()).contains(level.level);
    }
}
