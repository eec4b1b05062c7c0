package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Course meta links (enrol_meta): an instance in the meta (child) course whose customint1 is the
 * master (parent) course, and what enrol_meta_sync() does right after, so the result shows
 * without waiting for Moodle's cron: users actively enrolled in the master are enrolled through
 * the instance, with the master's roles assigned under component enrol_meta; users who left the
 * master are handled by the site's enrol_meta/unenrolaction setting.
 */
public final class MetaLinks {
    /** enrol_meta/unenrolaction values (ENROL_EXT_REMOVED_*). */
    private static final int UNENROL = 0;
    private static final int KEEP = 1;
    private static final long FLAG_LIFETIME = 28800;

    private final MoodleDatabase db;

    public MetaLinks(MoodleDatabase db) {
        this.db = db;
    }

    /** The meta course's instance linked to the master, or null. */
    public long[] instance(Connection c, long metaCourse, long masterCourse) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, status FROM " + db.table("enrol")
                + " WHERE enrol = 'meta' AND courseid = ? AND customint1 = ? ORDER BY id LIMIT 1")) {
            ps.setLong(1, metaCourse);
            ps.setLong(2, masterCourse);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    /** Creates the instance, or enables it again. Returns its id. */
    public long enable(Connection c, long metaCourse, long masterCourse, long now) throws SQLException {
        long[] existing = instance(c, metaCourse, masterCourse);
        if (existing != null) {
            if (existing[1] != 0) {
                setStatus(c, existing[0], 0, now);
            }
            return existing[0];
        }
        long id = Ids.next(c, db, "enrol", 1)[0];
        List<Object[]> row = new ArrayList<>();
        row.add(new Object[] {id, "meta", 0L, metaCourse, EnrolSql.nextSortorder(c, db, metaCourse), 0L, masterCourse, now, now});
        // enrol_meta's add_instance(): no group (customint2 stays NULL)
        RowInserter.insert(c, db, "enrol", List.of("id", "enrol", "status", "courseid", "sortorder", "roleid", "customint1",
                "timecreated", "timemodified"), row);
        return id;
    }

    private long courseOf(Connection c, long instance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT courseid FROM " + db.table("enrol") + " WHERE id = ?")) {
            ps.setLong(1, instance);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void setStatus(Connection c, long instance, int status, long now) throws SQLException {
        EnrolSql.setStatus(c, db, instance, status, now);
    }

    /**
     * enrol_meta_sync() for one instance. A disabled instance keeps no roles (its users are
     * handled as if they had left the master). Returns the number of rows written or removed.
     */
    public int sync(Connection c, long instance, boolean enabled, long metaContext, long masterCourse, long masterContext, SiteSettings site,
                    long now) throws SQLException {
        Long[] nosync = Arrays.stream(site.plugin("enrol_meta", "nosyncroleids", "").split(",")).map(String::trim)
                .filter(s -> s.matches("\\d+")).map(Long::valueOf).toArray(Long[]::new);
        int unenrolAction = Integer.parseInt(site.plugin("enrol_meta", "unenrolaction", "3"));
        Set<Long> touched = new HashSet<>();
        int changes = 0;
        String activeInMaster = "SELECT DISTINCT ue.userid FROM " + db.table("user_enrolments") + " ue JOIN " + db.table("enrol")
                + " e ON e.id = ue.enrolid WHERE e.courseid = ? AND e.status = 0 AND ue.status = 0";
        long modifier = site.actingAdminId();
        if (enabled) {
            // the meta enrolment spans the user's active master enrolments: the earliest start, the latest end (0 = none)
            String spans = "SELECT ue.userid, MIN(ue.timestart) AS timestart,"
                    + " CASE WHEN MIN(ue.timeend) = 0 THEN 0 ELSE MAX(ue.timeend) END AS timeend FROM " + db.table("user_enrolments") + " ue JOIN "
                    + db.table("enrol") + " e ON e.id = ue.enrolid WHERE e.courseid = ? AND e.status = 0 AND ue.status = 0 GROUP BY ue.userid";
            String ue = db.table("user_enrolments");
            changes += EnrolSql.collect(c, touched, "INSERT INTO " + ue + " (status, enrolid, userid, timestart, timeend, modifierid, timecreated, timemodified)"
                    + " SELECT 0, ?, m.userid, m.timestart, m.timeend, ?, ?, ? FROM (" + spans + ") m ON CONFLICT (enrolid, userid) DO UPDATE"
                    + " SET status = 0, timestart = EXCLUDED.timestart, timeend = EXCLUDED.timeend, timemodified = EXCLUDED.timemodified"
                    + " WHERE " + ue + ".status <> 0 OR " + ue + ".timestart <> EXCLUDED.timestart OR " + ue + ".timeend <> EXCLUDED.timeend RETURNING userid",
                    instance, modifier, now, now, masterCourse);
            changes += EnrolSql.collect(c, touched, "INSERT INTO " + db.table("role_assignments") + " (roleid, contextid, userid, timemodified, modifierid, component, itemid, sortorder)"
                    + " SELECT DISTINCT ra.roleid, ?, ra.userid, ?, ?, 'enrol_meta', ?, 0 FROM " + db.table("role_assignments") + " ra"
                    + " WHERE ra.contextid = ? AND ra.userid IN (" + activeInMaster + ") AND NOT (ra.roleid = ANY(?::bigint[]))"
                    + " AND NOT EXISTS (SELECT 1 FROM " + db.table("role_assignments") + " x WHERE x.roleid = ra.roleid AND x.contextid = ?"
                    + " AND x.userid = ra.userid AND x.component = 'enrol_meta' AND x.itemid = ?) RETURNING userid",
                    metaContext, now, modifier, instance, masterContext, masterCourse, nosync, metaContext, instance);
        }
        // roles the master no longer gives (or none at all when the link is disabled)
        changes += EnrolSql.collect(c, touched, "DELETE FROM " + db.table("role_assignments") + " r WHERE r.component = 'enrol_meta' AND r.itemid = ? AND r.contextid = ?"
                + " AND (NOT ? OR NOT EXISTS (SELECT 1 FROM " + db.table("role_assignments") + " m WHERE m.contextid = ? AND m.userid = r.userid AND m.roleid = r.roleid"
                + " AND m.userid IN (" + activeInMaster + "))) RETURNING userid", instance, metaContext, enabled, masterContext, masterCourse);
        // users who left the master, or all of them when the link is disabled
        String gone = enabled ? "enrolid = ? AND userid NOT IN (" + activeInMaster + ")" : "enrolid = ?";
        Object[] goneParams = enabled ? new Object[] {instance, masterCourse} : new Object[] {instance};
        if (unenrolAction == UNENROL) {
            changes += EnrolSql.collect(c, touched, "DELETE FROM " + db.table("user_enrolments") + " WHERE " + gone + " RETURNING userid", goneParams);
        } else if (unenrolAction != KEEP) {
            Object[] params = new Object[goneParams.length + 1];
            params[0] = now;
            System.arraycopy(goneParams, 0, params, 1, goneParams.length);
            changes += EnrolSql.collect(c, touched, "UPDATE " + db.table("user_enrolments") + " SET status = 1, timemodified = ? WHERE status = 0 AND " + gone
                    + " RETURNING userid", params);
        }
        CacheFlags.set(c, db, "accesslib/dirtyusers", touched, now, now + FLAG_LIFETIME);
        if (changes > 0) {
            List<Long> course = List.of(courseOf(c, instance));
            db.caches(c).courseRolesChanged(course);
            db.caches(c).enrolmentsChanged(course);
        }
        return changes;
    }

}
