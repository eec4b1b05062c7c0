package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The parts of reset_course_userdata() that live in core tables: unenrolling the users who hold
 * given roles, removing role assignments made below the course, and emptying or deleting groups
 * and groupings. Each method returns how many rows it removed, so an unchanged reset says so.
 * Activity data (grades, submissions, logs, completion...) lives in plugin tables that only
 * Moodle's own reset can clear.
 */
public final class CourseReset {
    private static final long FLAG_LIFETIME = 28800;

    private final MoodleDatabase db;

    public CourseReset(MoodleDatabase db) {
        this.db = db;
    }

    /**
     * Unenrols, from every enrolment method of the course, the users holding one of the roles in
     * the course context ({@code roleIds} null: every enrolled user), with their role
     * assignments in the course and below, their group memberships and last access.
     */
    public int unenrolUsers(Connection c, Course course, Collection<Long> roleIds, long now) throws SQLException {
        List<Long> users = new ArrayList<>();
        String who = roleIds == null
                ? "SELECT DISTINCT ue.userid FROM " + db.table("user_enrolments") + " ue JOIN " + db.table("enrol") + " e ON e.id = ue.enrolid WHERE e.courseid = ?"
                : "SELECT DISTINCT userid FROM " + db.table("role_assignments") + " WHERE contextid = ? AND roleid = ANY(?)";
        try (PreparedStatement ps = c.prepareStatement(who)) {
            ps.setLong(1, roleIds == null ? course.id() : course.contextId());
            if (roleIds != null) {
                ps.setArray(2, c.createArrayOf("bigint", roleIds.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(rs.getLong(1));
                }
            }
        }
        if (users.isEmpty()) {
            return 0;
        }
        Long[] ids = users.toArray(new Long[0]);
        int removed = update(c, "DELETE FROM " + db.table("user_enrolments") + " WHERE userid = ANY(?) AND enrolid IN (SELECT id FROM "
                + db.table("enrol") + " WHERE courseid = ?)", ids, course.id());
        removed += updateInSubtree(c, "role_assignments", ids, course.contextPath());
        removed += update(c, "DELETE FROM " + db.table("groups_members") + " WHERE userid = ANY(?) AND groupid IN (SELECT id FROM "
                + db.table("groups") + " WHERE courseid = ?)", ids, course.id());
        update(c, "DELETE FROM " + db.table("user_lastaccess") + " WHERE userid = ANY(?) AND courseid = ?", ids, course.id());
        CacheFlags.set(c, db, "accesslib/dirtyusers", users, now, now + FLAG_LIFETIME);
        db.caches(c).courseRolesChanged(List.of(course.id()));
        db.caches(c).enrolmentsChanged(List.of(course.id()));
        db.caches(c).membershipsChanged(users);
        return removed;
    }

    /** local_roles=roles: role assignments made in the course's activities and blocks (below the course context). */
    public int removeLocalRoleAssignments(Connection c, Course course) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("role_assignments") + " WHERE contextid IN (SELECT id FROM "
                + db.table("context") + " WHERE path LIKE ?)")) {
            ps.setString(1, course.contextPath() + "/%");
            return ps.executeUpdate();
        }
    }

    /** groups=members: everyone leaves the course's groups. */
    public int removeGroupMembers(Connection c, long courseId) throws SQLException {
        int removed = update(c, "DELETE FROM " + db.table("groups_members") + " WHERE groupid IN (SELECT id FROM " + db.table("groups") + " WHERE courseid = ANY(?))",
                new Long[] {courseId});
        if (removed > 0) {
            // groups_delete_group_members() purges the whole definition
            db.caches(c).membershipsRemovedInBulk();
        }
        return removed;
    }

    /** groups=all|groups: the course's groups go, with their members and their places in groupings. */
    public int deleteGroups(Connection c, long courseId) throws SQLException {
        Long[] id = {courseId};
        int removed = removeGroupMembers(c, courseId);
        update(c, "DELETE FROM " + db.table("groupings_groups") + " WHERE groupid IN (SELECT id FROM " + db.table("groups") + " WHERE courseid = ANY(?))", id);
        removed += update(c, "DELETE FROM " + db.table("groups") + " WHERE courseid = ANY(?)", id);
        db.caches(c).groupsRestructured(courseId);
        return removed;
    }

    /** groupings=members: the groupings are emptied of their groups. */
    public int emptyGroupings(Connection c, long courseId) throws SQLException {
        int removed = update(c, "DELETE FROM " + db.table("groupings_groups") + " WHERE groupingid IN (SELECT id FROM " + db.table("groupings")
                + " WHERE courseid = ANY(?))", new Long[] {courseId});
        db.caches(c).groupsRestructured(courseId);
        return removed;
    }

    /** groupings=all|groupings: the course's groupings go. */
    public int deleteGroupings(Connection c, long courseId) throws SQLException {
        return emptyGroupings(c, courseId) + update(c, "DELETE FROM " + db.table("groupings") + " WHERE courseid = ANY(?)", new Long[] {courseId});
    }

    private int updateInSubtree(Connection c, String table, Long[] userIds, String contextPath) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table(table) + " WHERE userid = ANY(?) AND contextid IN (SELECT id FROM "
                + db.table("context") + " WHERE path = ? OR path LIKE ?)")) {
            ps.setArray(1, c.createArrayOf("bigint", userIds));
            ps.setString(2, contextPath);
            ps.setString(3, contextPath + "/%");
            return ps.executeUpdate();
        }
    }

    private static int update(Connection c, String sql, Long[] ids, long... more) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            for (int i = 0; i < more.length; i++) {
                ps.setLong(i + 2, more[i]);
            }
            return ps.executeUpdate();
        }
    }
}
