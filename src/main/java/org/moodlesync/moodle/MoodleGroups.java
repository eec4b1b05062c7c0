package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Course groups as groups_create_group() and groups_add_member() / groups_remove_member() write
 * them. The groups of a chunk's courses and their memberships are read once and kept up to date
 * here while the chunk is applied.
 */
public final class MoodleGroups {
    private final MoodleDatabase db;
    /** courseid → group name → group id (the first group of a name, as Moodle's groups_get_group_by_name) */
    private final Map<Long, Map<String, Long>> groupsByCourse = new HashMap<>();
    /** courseid → every group id, duplicate names included */
    private final Map<Long, List<Long>> groupIdsByCourse = new HashMap<>();
    /** "groupid:userid" of the memberships */
    private final Set<String> members = new HashSet<>();

    private MoodleGroups(MoodleDatabase db) {
        this.db = db;
    }

    public static MoodleGroups load(Connection c, MoodleDatabase db, Collection<Long> courseIds, Collection<Long> userIds) throws SQLException {
        MoodleGroups g = new MoodleGroups(db);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, courseid, name FROM " + db.table("groups") + " WHERE courseid = ANY(?) ORDER BY id")) {
            ps.setArray(1, c.createArrayOf("bigint", courseIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    g.groupsByCourse.computeIfAbsent(rs.getLong(2), k -> new HashMap<>()).putIfAbsent(rs.getString(3), rs.getLong(1));
                    g.groupIdsByCourse.computeIfAbsent(rs.getLong(2), k -> new java.util.ArrayList<>()).add(rs.getLong(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT gm.groupid, gm.userid FROM " + db.table("groups_members") + " gm JOIN "
                + db.table("groups") + " gr ON gr.id = gm.groupid WHERE gr.courseid = ANY(?) AND gm.userid = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", courseIds.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", userIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    g.members.add(rs.getLong(1) + ":" + rs.getLong(2));
                }
            }
        }
        return g;
    }

    public Long group(long courseId, String name) {
        return groupsByCourse.getOrDefault(courseId, Map.of()).get(name);
    }

    /**
     * A group made on the fly by name (enrols.csv's gaddcreate, the users file's group<N>), with
     * the empty description Moodle's upload tool gives the groups it creates this way.
     */
    public long create(Connection c, long courseId, String name, long now) throws SQLException {
        long id = CourseGroups.insert(c, db, false, courseId, name, "", "", now);
        groupsByCourse.computeIfAbsent(courseId, k -> new HashMap<>()).put(name, id);
        groupIdsByCourse.computeIfAbsent(courseId, k -> new java.util.ArrayList<>()).add(id);
        return id;
    }

    public boolean isMember(long groupId, long userId) {
        return members.contains(groupId + ":" + userId);
    }

    /** The user's groups in the course. */
    public List<Long> groupsOf(long courseId, long userId) {
        return groupIdsByCourse.getOrDefault(courseId, List.of()).stream().filter(id -> isMember(id, userId)).toList();
    }

    public boolean add(Connection c, long groupId, long userId, long now) throws SQLException {
        if (!members.add(groupId + ":" + userId)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table("groups_members")
                + " (groupid, userid, timeadded, component, itemid) VALUES (?, ?, ?, '', 0) ON CONFLICT (userid, groupid) DO NOTHING")) {
            ps.setLong(1, groupId);
            ps.setLong(2, userId);
            ps.setLong(3, now);
            db.caches(c).membershipsChanged(List.of(userId));
            return ps.executeUpdate() > 0;
        }
    }

    public boolean remove(Connection c, long groupId, long userId) throws SQLException {
        if (!members.remove(groupId + ":" + userId)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("groups_members") + " WHERE groupid = ? AND userid = ?")) {
            ps.setLong(1, groupId);
            ps.setLong(2, userId);
            db.caches(c).membershipsChanged(List.of(userId));
            return ps.executeUpdate() > 0;
        }
    }

    /** Memberships removed with the user's enrolment in the course (forget them here too). */
    public void forgetMemberships(long courseId, long userId) {
        groupsOf(courseId, userId).forEach(g -> members.remove(g + ":" + userId));
    }
}
