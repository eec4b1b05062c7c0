package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cohort enrolment methods (enrol_cohort): an instance in a course whose customint1 is the
 * cohort, roleid the role it gives and customint2 the group its users join (0: none), and what
 * enrol_cohort_sync() does right after, so the result shows without Moodle's cron: the cohort's
 * members are enrolled through the instance with its role (component enrol_cohort) and put in
 * its group; users no longer in the cohort are handled by the site's enrol_cohort/unenrolaction
 * (0 unenrol, 1 keep, else suspend); a disabled instance keeps its enrolments but gives no role.
 */
public final class CohortLinks {
    private static final long FLAG_LIFETIME = 28800;

    /** An instance: id, status, roleid, group. */
    public record Instance(long id, long courseId, int status, long roleId, long groupId) {
    }

    private final MoodleDatabase db;

    public CohortLinks(MoodleDatabase db) {
        this.db = db;
    }

    /** The course's instances bound to the cohort, for one role or (roleId null) all of them. */
    public List<Instance> instances(Connection c, long courseId, long cohortId, Long roleId) throws SQLException {
        List<Instance> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, courseid, status, roleid, COALESCE(customint2, 0) FROM " + db.table("enrol")
                + " WHERE enrol = 'cohort' AND courseid = ? AND customint1 = ? AND (? < 0 OR roleid = ?) ORDER BY id")) {
            ps.setLong(1, courseId);
            ps.setLong(2, cohortId);
            ps.setLong(3, roleId == null ? -1 : roleId);
            ps.setLong(4, roleId == null ? -1 : roleId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Instance(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        return found;
    }

    /** The course context's id. */
    public long courseContext(Connection c, long courseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + db.table("context") + " WHERE contextlevel = ? AND instanceid = ?")) {
            ps.setInt(1, ContextLevel.COURSE.level);
            ps.setLong(2, courseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Every instance bound to these cohorts, to sync after their members changed. */
    public List<Instance> boundTo(Connection c, Set<Long> cohortIds) throws SQLException {
        List<Instance> found = new ArrayList<>();
        if (cohortIds.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, courseid, status, roleid, COALESCE(customint2, 0) FROM " + db.table("enrol")
                + " WHERE enrol = 'cohort' AND customint1 = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", cohortIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Instance(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        return found;
    }

    public long create(Connection c, long courseId, long cohortId, long roleId, long groupId, long enrolStart, long enrolEnd, long now) throws SQLException {
        long id = Ids.next(c, db, "enrol", 1)[0];
        long sortorder = EnrolSql.nextSortorder(c, db, courseId);
        List<Object[]> row = new ArrayList<>();
        row.add(new Object[] {id, "cohort", 0L, courseId, sortorder, roleId, cohortId, groupId, enrolStart, enrolEnd, now, now});
        RowInserter.insert(c, db, "enrol", List.of("id", "enrol", "status", "courseid", "sortorder", "roleid", "customint1", "customint2",
                "enrolstartdate", "enrolenddate", "timecreated", "timemodified"), row);
        return id;
    }

    public void setStatus(Connection c, long instance, int status, long now) throws SQLException {
        EnrolSql.setStatus(c, db, instance, status, now);
    }

    /**
     * Removes the instance with what it enrolled: enrolments, the roles and group memberships it
     * gave. The users who lost them are marked dirty, as role_unassign_all() does, so their
     * sessions drop the access at once.
     */
    public void delete(Connection c, long instance, long now) throws SQLException {
        // whose and in which course is not read back: the definitions involved are purged whole
        db.caches(c).categoryRolesChanged();
        db.caches(c).membershipsRemovedInBulk();
        Set<Long> touched = new HashSet<>();
        EnrolSql.collect(c, touched, "DELETE FROM " + db.table("role_assignments") + " WHERE component = 'enrol_cohort' AND itemid = ? RETURNING userid", instance);
        EnrolSql.collect(c, touched, "DELETE FROM " + db.table("groups_members") + " WHERE component = 'enrol_cohort' AND itemid = ? RETURNING userid", instance);
        EnrolSql.collect(c, touched, "DELETE FROM " + db.table("user_enrolments") + " WHERE enrolid = ? RETURNING userid", instance);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("enrol") + " WHERE id = ?")) {
            ps.setLong(1, instance);
            ps.executeUpdate();
        }
        CacheFlags.set(c, db, "accesslib/dirtyusers", touched, now, now + FLAG_LIFETIME);
    }

    /**
     * enrol_cohort_create_new_group(): a group named "<cohort> cohort" (enrol_cohort's
     * defaultgroupnametext), or "<cohort> cohort(2)", "(3)"... when the course has a group of that
     * name already. Returns the group and its name.
     */
    public Map.Entry<Long, String> createGroupFor(Connection c, long courseId, String cohortName, long now) throws SQLException {
        Set<String> taken = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + db.table("groups") + " WHERE courseid = ? AND name LIKE ?")) {
            ps.setLong(1, courseId);
            ps.setString(2, cohortName.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " cohort%");
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString(1));
                }
            }
        }
        String name = cohortName + " cohort";
        for (int increment = 2; taken.contains(name); increment++) {
            name = cohortName + " cohort(" + increment + ")";
        }
        return Map.entry(CourseGroups.insert(c, db, false, courseId, name, "", null, now), name);
    }

    /** The ids of the cohort enrolment methods bound to the cohort, in every course. */
    public List<Long> instancesOf(Connection c, long cohortId) throws SQLException {
        List<Long> ids = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + db.table("enrol") + " WHERE enrol = 'cohort' AND customint1 = ? ORDER BY id")) {
            ps.setLong(1, cohortId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** enrol_cohort_sync() for one instance; returns the rows written or removed. */
    public int sync(Connection c, Instance instance, long cohortId, long courseContext, SiteSettings site, long now) throws SQLException {
        boolean enabled = instance.status() == 0;
        int unenrolAction = Integer.parseInt(site.plugin("enrol_cohort", "unenrolaction", "0"));
        String members = "SELECT userid FROM " + db.table("cohort_members") + " WHERE cohortid = ?";
        Set<Long> touched = new HashSet<>();
        int changes = 0;
        // the cron task (or the admin) who runs enrol_cohort_sync() is the modifier
        long modifier = site.actingAdminId();
        if (enabled) {
            changes += EnrolSql.collect(c, touched, "INSERT INTO " + db.table("user_enrolments") + " (status, enrolid, userid, timestart, timeend, modifierid, timecreated, timemodified)"
                    + " SELECT 0, ?, m.userid, 0, 0, ?, ?, ? FROM (" + members + ") m ON CONFLICT (enrolid, userid) DO UPDATE SET status = 0, timemodified = EXCLUDED.timemodified"
                    + " WHERE " + db.table("user_enrolments") + ".status <> 0 RETURNING userid", instance.id(), modifier, now, now, cohortId);
            if (instance.roleId() > 0) {
                changes += EnrolSql.collect(c, touched, "INSERT INTO " + db.table("role_assignments") + " (roleid, contextid, userid, timemodified, modifierid, component, itemid, sortorder)"
                        + " SELECT ?, ?, m.userid, ?, ?, 'enrol_cohort', ?, 0 FROM (" + members + ") m WHERE NOT EXISTS (SELECT 1 FROM " + db.table("role_assignments")
                        + " x WHERE x.roleid = ? AND x.contextid = ? AND x.userid = m.userid AND x.component = 'enrol_cohort' AND x.itemid = ?) RETURNING userid",
                        instance.roleId(), courseContext, now, modifier, instance.id(), cohortId, instance.roleId(), courseContext, instance.id());
            }
            if (instance.groupId() > 0) {
                changes += EnrolSql.collect(c, touched, "INSERT INTO " + db.table("groups_members") + " (groupid, userid, timeadded, component, itemid)"
                        + " SELECT ?, m.userid, ?, 'enrol_cohort', ? FROM (" + members + ") m ON CONFLICT (userid, groupid) DO NOTHING RETURNING userid",
                        instance.groupId(), now, instance.id(), cohortId);
            }
        }
        if (!enabled) {
            // a disabled method keeps its enrolments (inactive while it is disabled) but gives no role
            changes += EnrolSql.collect(c, touched, "DELETE FROM " + db.table("role_assignments") + " WHERE component = 'enrol_cohort' AND itemid = ? RETURNING userid",
                    instance.id());
            CacheFlags.set(c, db, "accesslib/dirtyusers", touched, now, now + FLAG_LIFETIME);
            recordChanges(c, instance, changes, touched);
            return changes;
        }
        // users who left the cohort
        String gone = " AND userid NOT IN (" + members + ")";
        Object[] goneParams = {instance.id(), cohortId};
        if (unenrolAction != 1) {
            changes += EnrolSql.collect(c, touched, "DELETE FROM " + db.table("role_assignments") + " WHERE component = 'enrol_cohort' AND itemid = ?" + gone + " RETURNING userid", goneParams);
            changes += EnrolSql.collect(c, touched, "DELETE FROM " + db.table("groups_members") + " WHERE component = 'enrol_cohort' AND itemid = ?" + gone + " RETURNING userid", goneParams);
            changes += EnrolSql.collect(c, touched, (unenrolAction == 0 ? "DELETE FROM " + db.table("user_enrolments") + " WHERE enrolid = ?"
                    : "UPDATE " + db.table("user_enrolments") + " SET status = 1 WHERE status = 0 AND enrolid = ?") + gone + " RETURNING userid", goneParams);
        }
        CacheFlags.set(c, db, "accesslib/dirtyusers", touched, now, now + FLAG_LIFETIME);
        recordChanges(c, instance, changes, touched);
        return changes;
    }

    /** The roles, enrolments and group memberships of the instance's course changed for the touched users. */
    private void recordChanges(Connection c, Instance instance, int changes, Set<Long> touched) {
        if (changes > 0) {
            db.caches(c).courseRolesChanged(List.of(instance.courseId()));
            db.caches(c).enrolmentsChanged(List.of(instance.courseId()));
            db.caches(c).membershipsChanged(touched);
        }
    }

}
