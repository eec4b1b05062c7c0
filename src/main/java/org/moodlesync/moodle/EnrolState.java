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
 * What Moodle holds for the (user, course) pairs of a chunk, read with one query per kind: the
 * enrol instances of the courses, the users' enrolments in them, and their role assignments in
 * the course contexts.
 */
public final class EnrolState {
    /** An enrol instance: id, plugin, enabled, sortorder. */
    public record Instance(long id, long courseId, String plugin, boolean enabled, long sortorder) {
    }

    /** A user's enrolment on an instance. */
    public record UserEnrolment(long id, long enrolId, long userId, int status, long timestart, long timeend) {
    }

    /** A role assignment in a course context. */
    public record Assignment(long id, long roleId, long contextId, long userId, String component, long itemId) {
    }

    public final Map<Long, List<Instance>> instancesByCourse = new HashMap<>();
    public final Map<String, UserEnrolment> enrolmentByInstanceAndUser = new HashMap<>();
    public final Map<String, List<Assignment>> assignmentsByContextAndUser = new HashMap<>();

    /**
     * @param pairs the chunk's {courseId, courseContextId, userId} triples: enrolments and role
     *              assignments are read for exactly these pairs (through the (enrolid, userid)
     *              and (userid, contextid) indexes), never for whole courses, so the cost of a
     *              chunk does not grow with the courses' size
     */
    public static EnrolState load(Connection c, MoodleDatabase db, Collection<long[]> pairs) throws SQLException {
        EnrolState s = new EnrolState();
        java.util.Set<Long> courseSet = new java.util.HashSet<>();
        pairs.forEach(p -> courseSet.add(p[0]));
        Long[] courses = courseSet.toArray(new Long[0]);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, courseid, enrol, status, sortorder FROM " + db.table("enrol")
                + " WHERE courseid = ANY(?) ORDER BY courseid, sortorder, id")) {
            ps.setArray(1, c.createArrayOf("bigint", courses));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    s.instancesByCourse.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>())
                            .add(new Instance(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4) == 0, rs.getLong(5)));
                }
            }
        }
        List<Long> enrolIds = new ArrayList<>();
        List<Long> enrolUsers = new ArrayList<>();
        for (long[] p : pairs) {
            for (Instance i : s.instancesByCourse.getOrDefault(p[0], List.of())) {
                enrolIds.add(i.id());
                enrolUsers.add(p[2]);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT ue.id, ue.enrolid, ue.userid, ue.status, ue.timestart, ue.timeend FROM "
                + db.table("user_enrolments") + " ue JOIN unnest(?::bigint[], ?::bigint[]) AS p(enrolid, userid) ON ue.enrolid = p.enrolid AND ue.userid = p.userid")) {
            ps.setArray(1, c.createArrayOf("bigint", enrolIds.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", enrolUsers.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UserEnrolment ue = new UserEnrolment(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getLong(6));
                    s.enrolmentByInstanceAndUser.put(ue.enrolId() + ":" + ue.userId(), ue);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT ra.id, ra.roleid, ra.contextid, ra.userid, ra.component, ra.itemid FROM "
                + db.table("role_assignments") + " ra JOIN unnest(?::bigint[], ?::bigint[]) AS p(contextid, userid) ON ra.userid = p.userid AND ra.contextid = p.contextid")) {
            ps.setArray(1, c.createArrayOf("bigint", pairs.stream().map(p -> p[1]).toArray()));
            ps.setArray(2, c.createArrayOf("bigint", pairs.stream().map(p -> p[2]).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Assignment a = new Assignment(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getLong(6));
                    s.assignmentsByContextAndUser.computeIfAbsent(a.contextId() + ":" + a.userId(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        return s;
    }

    /** The course's first instance of the plugin by sortorder, enabled ones only. */
    public Instance firstEnabled(long courseId, String plugin) {
        for (Instance i : instancesByCourse.getOrDefault(courseId, List.of())) {
            if (i.plugin().equals(plugin) && i.enabled()) {
                return i;
            }
        }
        return null;
    }

    public UserEnrolment enrolment(long enrolId, long userId) {
        return enrolmentByInstanceAndUser.get(enrolId + ":" + userId);
    }

    /** The user's enrolments on any instance of the course. */
    public List<UserEnrolment> enrolmentsInCourse(long courseId, long userId) {
        List<UserEnrolment> found = new ArrayList<>();
        for (Instance i : instancesByCourse.getOrDefault(courseId, List.of())) {
            UserEnrolment ue = enrolment(i.id(), userId);
            if (ue != null) {
                found.add(ue);
            }
        }
        return found;
    }

    public List<Assignment> assignments(long contextId, long userId) {
        return assignmentsByContextAndUser.getOrDefault(contextId + ":" + userId, List.of());
    }
}
