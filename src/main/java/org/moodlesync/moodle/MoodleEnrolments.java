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
    private final MoodleDatabase db;

    public MoodleEnrolments(MoodleDatabase db) {
        this.db = db;
    }

    /**
     * Manual enrolments with their role (component ''), what is missing only, through the same
     * state reading and batched writing as enrols.csv. Returns how many of them wrote anything.
     */
    public int enrol(Connection c, List<Enrolment> enrolments, long modifierId, long now) throws SQLException {
        if (enrolments.isEmpty()) {
            return 0;
        }
        EnrolState state = EnrolState.load(c, db, enrolments.stream().map(e -> new long[] {e.courseId(), e.courseContextId(), e.userId()}).toList());
        EnrolmentChanges changes = new EnrolmentChanges();
        Set<String> planned = new HashSet<>();
        int changed = 0;
        for (Enrolment e : enrolments) {
            boolean wrote = false;
            if (state.enrolment(e.enrolId(), e.userId()) == null && planned.add("e" + e.enrolId() + ":" + e.userId())) {
                changes.enrol(e.enrolId(), e.userId(), 0, e.timestart(), e.timeend());
                wrote = true;
            }
            boolean hasRole = state.assignments(e.courseContextId(), e.userId()).stream()
                    .anyMatch(a -> a.roleId() == e.roleId() && a.component().isEmpty() && a.itemId() == 0);
            if (!hasRole && planned.add("r" + e.roleId() + ":" + e.courseContextId() + ":" + e.userId())) {
                changes.assign(e.roleId(), e.courseContextId(), e.userId(), "", 0);
                wrote = true;
            }
            changed += wrote ? 1 : 0;
        }
        changes.write(c, db, modifierId, now);
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

    /** A user's context id (0 when the user has none). */
    public long userContext(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + db.table("context") + " WHERE contextlevel = " + ContextLevel.USER.level
                + " AND instanceid = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
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
