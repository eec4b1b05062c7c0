package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.moodlesync.moodle.cache.CacheInvalidations;

/**
 * The enrolment writes a chunk needs, collected while its lines are decided and then written
 * as one batch per kind, as enrol_user(), unenrol_user(), update_user_enrol(), role_assign()
 * and role_unassign() would write them. Every user touched gets the accesslib/dirtyusers flag.
 */
public final class EnrolmentChanges {
    private static final long FLAG_LIFETIME = 28800;

    private record NewEnrolment(long enrolId, long userId, int status, long timestart, long timeend) {
    }

    private record EnrolmentUpdate(long id, int status, long timestart, long timeend) {
    }

    private record NewAssignment(long roleId, long contextId, long userId, String component, long itemId) {
    }

    /** A user leaving a course altogether: group memberships and last access go too. */
    private record Departure(long userId, long courseId, String contextPath) {
    }

    private final List<NewEnrolment> enrolments = new ArrayList<>();
    private final List<EnrolmentUpdate> updates = new ArrayList<>();
    private final Set<Long> unenrolments = new LinkedHashSet<>();
    private final List<NewAssignment> assignments = new ArrayList<>();
    private final Set<Long> unassignments = new LinkedHashSet<>();
    private final List<Departure> departures = new ArrayList<>();
    private final Set<Long> touched = new HashSet<>();
    /** The enrol instances and contexts written to, for the cache invalidations of their courses. */
    private final Set<Long> enrolIds = new HashSet<>();
    private final Set<Long> contextIds = new HashSet<>();

    public void enrol(long enrolId, long userId, int status, long timestart, long timeend) {
        enrolments.add(new NewEnrolment(enrolId, userId, status, timestart, timeend));
        touched.add(userId);
        enrolIds.add(enrolId);
    }

    public void updateEnrolment(EnrolState.UserEnrolment ue, int status, long timestart, long timeend) {
        updates.add(new EnrolmentUpdate(ue.id(), status, timestart, timeend));
        touched.add(ue.userId());
        enrolIds.add(ue.enrolId());
    }

    public void unenrol(EnrolState.UserEnrolment ue) {
        unenrolments.add(ue.id());
        touched.add(ue.userId());
        enrolIds.add(ue.enrolId());
    }

    public void assign(long roleId, long contextId, long userId, String component, long itemId) {
        assignments.add(new NewAssignment(roleId, contextId, userId, component, itemId));
        touched.add(userId);
        contextIds.add(contextId);
    }

    public void unassign(EnrolState.Assignment a) {
        unassignments.add(a.id());
        touched.add(a.userId());
        contextIds.add(a.contextId());
    }

    /** The user has no enrolment left in the course: every role in it and below, group memberships and last access go. */
    public void leaveCourse(long userId, long courseId, String courseContextPath) {
        departures.add(new Departure(userId, courseId, courseContextPath));
        touched.add(userId);
    }

    public boolean isEmpty() {
        return touched.isEmpty();
    }

    public void write(Connection c, MoodleDatabase db, long modifierId, long now) throws SQLException {
        if (!unassignments.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("role_assignments") + " WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", unassignments.toArray()));
                ps.executeUpdate();
            }
        }
        if (!unenrolments.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("user_enrolments") + " WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", unenrolments.toArray()));
                ps.executeUpdate();
            }
        }
        if (!departures.isEmpty()) {
            try (PreparedStatement ra = c.prepareStatement("DELETE FROM " + db.table("role_assignments") + " WHERE userid = ? AND contextid IN (SELECT id FROM "
                    + db.table("context") + " WHERE path = ? OR path LIKE ?)");
                 PreparedStatement gm = c.prepareStatement("DELETE FROM " + db.table("groups_members") + " WHERE userid = ? AND groupid IN (SELECT id FROM "
                    + db.table("groups") + " WHERE courseid = ?)");
                 PreparedStatement la = c.prepareStatement("DELETE FROM " + db.table("user_lastaccess") + " WHERE userid = ? AND courseid = ?")) {
                for (Departure d : departures) {
                    ra.setLong(1, d.userId());
                    ra.setString(2, d.contextPath());
                    ra.setString(3, d.contextPath() + "/%");
                    ra.addBatch();
                    gm.setLong(1, d.userId());
                    gm.setLong(2, d.courseId());
                    gm.addBatch();
                    la.setLong(1, d.userId());
                    la.setLong(2, d.courseId());
                    la.addBatch();
                }
                ra.executeBatch();
                gm.executeBatch();
                la.executeBatch();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("user_enrolments")
                    + " SET status = ?, timestart = ?, timeend = ?, modifierid = ?, timemodified = ? WHERE id = ?")) {
                for (EnrolmentUpdate u : updates) {
                    ps.setInt(1, u.status());
                    ps.setLong(2, u.timestart());
                    ps.setLong(3, u.timeend());
                    ps.setLong(4, modifierId);
                    ps.setLong(5, now);
                    ps.setLong(6, u.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        List<Object[]> rows = new ArrayList<>(enrolments.size());
        for (NewEnrolment e : enrolments) {
            rows.add(new Object[] {e.status(), e.enrolId(), e.userId(), e.timestart(), e.timeend(), modifierId, now, now});
        }
        RowInserter.insert(c, db, "user_enrolments", List.of("status", "enrolid", "userid", "timestart", "timeend", "modifierid", "timecreated", "timemodified"), rows);
        rows = new ArrayList<>(assignments.size());
        for (NewAssignment a : assignments) {
            rows.add(new Object[] {a.roleId(), a.contextId(), a.userId(), now, modifierId, a.component(), a.itemId(), 0});
        }
        RowInserter.insert(c, db, "role_assignments", List.of("roleid", "contextid", "userid", "timemodified", "modifierid", "component", "itemid", "sortorder"), rows);
        CacheFlags.set(c, db, "accesslib/dirtyusers", touched, now, now + FLAG_LIFETIME);
        recordCacheInvalidations(c, db);
    }

    /**
     * What enrol_user(), unenrol_user(), role_assign() and role_unassign() invalidate: the course
     * contacts of the courses (user_enrolment_changed(), role_assignment_changed()), the
     * changesincategoryenrolment event for roles at course level or above, and the group
     * memberships of users who left a course.
     */
    private void recordCacheInvalidations(Connection c, MoodleDatabase db) throws SQLException {
        CacheInvalidations caches = db.caches(c);
        Set<Long> enrolCourses = new HashSet<>();
        Set<Long> roleCourses = new HashSet<>();
        boolean categoryRoles = false;
        if (!enrolIds.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT courseid FROM " + db.table("enrol") + " WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", enrolIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        enrolCourses.add(rs.getLong(1));
                    }
                }
            }
        }
        if (!contextIds.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT contextlevel, instanceid FROM " + db.table("context") + " WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", contextIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getInt(1) == ContextLevel.COURSE.level) {
                            roleCourses.add(rs.getLong(2));
                        } else if (rs.getInt(1) < ContextLevel.COURSE.level) {
                            categoryRoles = true;
                        }
                    }
                }
            }
        }
        List<Long> departedUsers = new ArrayList<>();
        for (Departure d : departures) {
            roleCourses.add(d.courseId());
            departedUsers.add(d.userId());
        }
        caches.enrolmentsChanged(enrolCourses);
        if (!roleCourses.isEmpty()) {
            caches.courseRolesChanged(roleCourses);
        }
        if (categoryRoles) {
            caches.categoryRolesChanged();
        }
        caches.membershipsChanged(departedUsers);
    }
}
