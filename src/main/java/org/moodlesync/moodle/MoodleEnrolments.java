package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * enrol_plugin::enrol_user() for the manual plugin and role_assign(), set-wise: the
 * user_enrolments row on the instance, the role_assignments row in the course context
 * (component '' as manual enrolment writes it), and the accesslib/dirtyusers cache flag that
 * makes a logged-in user's session reload its access. What already exists is left as it is.
 */
public final class MoodleEnrolments {
    /** Moodle's $CFG->sessiontimeout default: how long a dirty-user flag must live. */
    private static final long FLAG_LIFETIME = 28800;

    private final MoodleDatabase db;

    public MoodleEnrolments(MoodleDatabase db) {
        this.db = db;
    }

    /** Returns how many of the enrolments wrote anything (new enrolment or new role). */
    public int enrol(Connection c, List<Enrolment> enrolments, long modifierId, long now) throws SQLException {
        if (enrolments.isEmpty()) {
            return 0;
        }
        Set<Long> touched = new HashSet<>();
        int changed = 0;
        try (PreparedStatement ue = c.prepareStatement("INSERT INTO " + db.table("user_enrolments")
                + " (status, enrolid, userid, timestart, timeend, modifierid, timecreated, timemodified) VALUES (0, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (enrolid, userid) DO NOTHING");
             PreparedStatement ra = c.prepareStatement("INSERT INTO " + db.table("role_assignments")
                + " (roleid, contextid, userid, timemodified, modifierid, component, itemid, sortorder)"
                + " SELECT ?, ?, ?, ?, ?, '', 0, 0 WHERE NOT EXISTS (SELECT 1 FROM " + db.table("role_assignments")
                + " WHERE roleid = ? AND contextid = ? AND userid = ? AND component = '' AND itemid = 0)")) {
            for (Enrolment e : enrolments) {
                ue.setLong(1, e.enrolId());
                ue.setLong(2, e.userId());
                ue.setLong(3, e.timestart());
                ue.setLong(4, e.timeend());
                ue.setLong(5, modifierId);
                ue.setLong(6, now);
                ue.setLong(7, now);
                int enrolled = ue.executeUpdate();
                ra.setLong(1, e.roleId());
                ra.setLong(2, e.courseContextId());
                ra.setLong(3, e.userId());
                ra.setLong(4, now);
                ra.setLong(5, modifierId);
                ra.setLong(6, e.roleId());
                ra.setLong(7, e.courseContextId());
                ra.setLong(8, e.userId());
                int assigned = ra.executeUpdate();
                if (enrolled + assigned > 0) {
                    changed++;
                    touched.add(e.userId());
                }
            }
        }
        CacheFlags.set(c, db, "accesslib/dirtyusers", touched, now, now + FLAG_LIFETIME);
        return changed;
    }

    /** The id of each course's first enabled manual instance (by sortorder), keyed by course id. */
    public java.util.Map<Long, Long> manualInstances(Connection c, long[] courseIds) throws SQLException {
        java.util.Map<Long, Long> found = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (courseid) courseid, id FROM " + db.table("enrol")
                + " WHERE enrol = 'manual' AND status = 0 AND courseid = ANY(?) ORDER BY courseid, sortorder, id")) {
            ps.setArray(1, c.createArrayOf("bigint", Contexts.box(courseIds)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return found;
    }

    /** The course context ids, keyed by course id. */
    public java.util.Map<Long, Long> courseContexts(Connection c, long[] courseIds) throws SQLException {
        java.util.Map<Long, Long> found = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT instanceid, id FROM " + db.table("context") + " WHERE contextlevel = "
                + ContextLevel.COURSE.level + " AND instanceid = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", Contexts.box(courseIds)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return found;
    }

}
