package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups and groupings of courses as groups_create_group(), groups_update_group(),
 * groups_create_grouping(), groups_assign_grouping() and groups_delete_group() write them.
 * The rows of a chunk's courses are read once; the writes keep that copy current.
 */
public final class CourseGroups {
    /** A group or a grouping of a course. */
    public record Row(long id, long courseId, String name, String idnumber, String description) implements IdentifiedRow {
    }

    private final MoodleDatabase db;
    private final Map<Long, List<Row>> groups = new HashMap<>();
    private final Map<Long, List<Row>> groupings = new HashMap<>();

    private CourseGroups(MoodleDatabase db) {
        this.db = db;
    }

    public static CourseGroups load(Connection c, MoodleDatabase db, Collection<Long> courseIds) throws SQLException {
        CourseGroups g = new CourseGroups(db);
        g.read(c, "groups", courseIds, g.groups);
        g.read(c, "groupings", courseIds, g.groupings);
        return g;
    }

    private void read(Connection c, String table, Collection<Long> courseIds, Map<Long, List<Row>> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, courseid, name, idnumber, description FROM " + db.table(table)
                + " WHERE courseid = ANY(?) ORDER BY id")) {
            ps.setArray(1, c.createArrayOf("bigint", courseIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            java.util.Objects.requireNonNullElse(rs.getString(4), ""), java.util.Objects.requireNonNullElse(rs.getString(5), "")));
                }
            }
        }
    }

    /** The course's groups (or groupings) whose identifier field has this value. */
    public List<Row> find(boolean grouping, long courseId, String identifier, String value) {
        return (grouping ? groupings : groups).getOrDefault(courseId, List.of()).stream()
                .filter(r -> value.equals(r.by(identifier))).toList();
    }

    public long create(Connection c, boolean grouping, long courseId, String name, String idnumber, String description, long now) throws SQLException {
        long id = insert(c, db, grouping, courseId, name, idnumber, description, now);
        (grouping ? groupings : groups).computeIfAbsent(courseId, k -> new ArrayList<>()).add(new Row(id, courseId, name, idnumber, description));
        return id;
    }

    /**
     * The row groups_create_group() / groups_create_grouping() insert: the given columns and
     * the timestamps; descriptionformat, visibility and participation keep Moodle's defaults.
     */
    public static long insert(Connection c, MoodleDatabase db, boolean grouping, long courseId, String name, String idnumber, String description, long now)
            throws SQLException {
        String table = grouping ? "groupings" : "groups";
        long id = Ids.next(c, db, table, 1)[0];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table(table)
                + " (id, courseid, name, idnumber, description, timecreated, timemodified) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, courseId);
            ps.setString(3, name);
            ps.setString(4, idnumber);
            ps.setString(5, description);
            ps.setLong(6, now);
            ps.setLong(7, now);
            ps.executeUpdate();
        }
        db.caches(c).groupsChanged(courseId);
        return id;
    }

    public void update(Connection c, boolean grouping, Row row, String name, String idnumber, String description, long now) throws SQLException {
        String table = grouping ? "groupings" : "groups";
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table(table) + " SET name = ?, idnumber = ?, description = ?, timemodified = ? WHERE id = ?")) {
            ps.setString(1, name);
            ps.setString(2, idnumber);
            ps.setString(3, description);
            ps.setLong(4, now);
            ps.setLong(5, row.id());
            ps.executeUpdate();
        }
        db.caches(c).groupsChanged(row.courseId());
        List<Row> rows = (grouping ? groupings : groups).get(row.courseId());
        rows.set(rows.indexOf(row), new Row(row.id(), row.courseId(), name, idnumber, description));
    }

    /** groups_assign_grouping(); returns false when the group was already in the grouping. */
    public boolean assign(Connection c, long courseId, long groupingId, long groupId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table("groupings_groups") + " (groupingid, groupid, timeadded)"
                + " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM " + db.table("groupings_groups") + " WHERE groupingid = ? AND groupid = ?)")) {
            ps.setLong(1, groupingId);
            ps.setLong(2, groupId);
            ps.setLong(3, now);
            ps.setLong(4, groupingId);
            ps.setLong(5, groupId);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        db.caches(c).groupsRestructured(courseId);
        return true;
    }

    /**
     * groups_delete_group() for the groups without members of the courses (and with
     * {@code groupings} also groupings without groups). Returns the names removed.
     */
    public static List<String> purgeEmpty(Connection c, MoodleDatabase db, Collection<Long> courseIds, boolean groupings) throws SQLException {
        List<String> removed = new ArrayList<>();
        Long[] ids = courseIds.toArray(new Long[0]);
        String empty = "SELECT id FROM " + db.table("groups") + " g WHERE g.courseid = ANY(?) AND NOT EXISTS (SELECT 1 FROM "
                + db.table("groups_members") + " m WHERE m.groupid = g.id)";
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("groupings_groups") + " WHERE groupid IN (" + empty + ")")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("groups") + " WHERE id IN (" + empty + ") RETURNING name")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    removed.add("group " + rs.getString(1));
                }
            }
        }
        // groups_delete_group() / groups_delete_grouping(), for every course looked at
        courseIds.forEach(db.caches(c)::groupsRestructured);
        if (groupings) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("groupings") + " gg WHERE gg.courseid = ANY(?) AND NOT EXISTS (SELECT 1 FROM "
                    + db.table("groupings_groups") + " x WHERE x.groupingid = gg.id) RETURNING name")) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        removed.add("grouping " + rs.getString(1));
                    }
                }
            }
        }
        return removed;
    }
}
