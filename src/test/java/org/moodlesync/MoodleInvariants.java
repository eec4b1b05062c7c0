package org.moodlesync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a Moodle database against the invariants Moodle's own repair/check code relies on
 * (moodle-schema-facts.md, "Invariants Moodle relies on"). Test helper: every writer test should end with
 * {@code MoodleInvariants.assertNone(connection, "mdl_")}.
 */
public final class MoodleInvariants {

    /** Rows listed per violated check before "... and n more". */
    private static final int MAX_ROWS_PER_CHECK = 20;

    /** Tables that must hold no rows of a deleted user (admin/cli/fix_deleted_users.php, delete_user()). */
    private static final String[] USER_TABLES = {
        "role_assignments", "cohort_members", "groups_members", "user_enrolments", "user_preferences",
        "user_info_data", "user_lastaccess", "external_tokens", "external_services_users"
    };

    private MoodleInvariants() {
    }

    /** Human-readable violations; empty when the database is consistent. */
    public static List<String> violations(Connection c, String prefix) throws SQLException {
        if (!prefix.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("bad prefix " + prefix);
        }
        Map<String, String> checks = new LinkedHashMap<>();

        // ---- contexts --------------------------------------------------------------------------------
        checks.put("system context must be id 1, level 10, instance 0, path /1, depth 1",
            "SELECT 'missing' WHERE NOT EXISTS (SELECT 1 FROM {p}context WHERE id = 1 AND contextlevel = 10"
            + " AND instanceid = 0 AND path = '/1' AND depth = 1)"
            + " UNION ALL SELECT 'extra system context id ' || id FROM {p}context WHERE contextlevel = 10 AND id <> 1");
        checks.put("duplicate context per (contextlevel, instanceid)",
            "SELECT contextlevel || '/' || instanceid || ' x' || count(*) FROM {p}context"
            + " GROUP BY contextlevel, instanceid HAVING count(*) > 1");
        checks.put("non-deleted user without context",
            "SELECT 'user ' || u.id || ' ' || u.username FROM {p}user u"
            + " WHERE u.deleted = 0 AND NOT EXISTS (SELECT 1 FROM {p}context x WHERE x.contextlevel = 30 AND x.instanceid = u.id)");
        checks.put("deleted user still has a context",
            "SELECT 'user ' || u.id || ' context ' || x.id FROM {p}user u JOIN {p}context x"
            + " ON x.contextlevel = 30 AND x.instanceid = u.id WHERE u.deleted <> 0");
        checks.put("user context path/depth wrong (want /1/<ctx>, depth 2)",
            "SELECT 'context ' || x.id || ' user ' || x.instanceid || ' path ' || coalesce(x.path, 'NULL') || ' depth ' || x.depth"
            + " FROM {p}context x WHERE x.contextlevel = 30 AND (x.path IS DISTINCT FROM '/1/' || x.id OR x.depth <> 2)");
        checks.put("category without context",
            "SELECT 'category ' || cc.id || ' ' || cc.name FROM {p}course_categories cc"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}context x WHERE x.contextlevel = 40 AND x.instanceid = cc.id)");
        checks.put("category context path/depth wrong (want <parent ctx path>/<ctx>)",
            "SELECT 'context ' || x.id || ' category ' || cc.id || ' path ' || coalesce(x.path, 'NULL') || ' depth ' || x.depth"
            + " || ' want ' || coalesce(coalesce(px.path, CASE WHEN cc.parent = 0 THEN '/1' END) || '/' || x.id, '?')"
            + " FROM {p}course_categories cc JOIN {p}context x ON x.contextlevel = 40 AND x.instanceid = cc.id"
            + " LEFT JOIN {p}context px ON px.contextlevel = 40 AND px.instanceid = cc.parent AND cc.parent <> 0"
            + " WHERE x.path IS DISTINCT FROM coalesce(px.path, CASE WHEN cc.parent = 0 THEN '/1' END) || '/' || x.id"
            + " OR x.depth IS DISTINCT FROM (CASE WHEN cc.parent = 0 THEN 2 ELSE px.depth + 1 END)");
        checks.put("course without context",
            "SELECT 'course ' || co.id || ' ' || co.shortname FROM {p}course co"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}context x WHERE x.contextlevel = 50 AND x.instanceid = co.id)");
        checks.put("course context path/depth wrong (want <category ctx path>/<ctx>, site course /1/<ctx>)",
            "SELECT 'context ' || x.id || ' course ' || co.id || ' path ' || coalesce(x.path, 'NULL') || ' depth ' || x.depth"
            + " FROM {p}course co JOIN {p}context x ON x.contextlevel = 50 AND x.instanceid = co.id"
            + " LEFT JOIN {p}context cx ON cx.contextlevel = 40 AND cx.instanceid = co.category"
            + " WHERE (co.id = 1 AND (x.path IS DISTINCT FROM '/1/' || x.id OR x.depth <> 2))"
            + " OR (co.id <> 1 AND (x.path IS DISTINCT FROM cx.path || '/' || x.id OR x.depth IS DISTINCT FROM cx.depth + 1))");
        checks.put("module context path/depth wrong (want <course ctx path>/<ctx>)",
            "SELECT 'context ' || x.id || ' cm ' || cm.id || ' path ' || coalesce(x.path, 'NULL')"
            + " FROM {p}course_modules cm JOIN {p}context x ON x.contextlevel = 70 AND x.instanceid = cm.id"
            + " LEFT JOIN {p}context cx ON cx.contextlevel = 50 AND cx.instanceid = cm.course"
            + " WHERE x.path IS DISTINCT FROM cx.path || '/' || x.id OR x.depth IS DISTINCT FROM cx.depth + 1");
        checks.put("orphan context (instance does not exist)",
            "SELECT 'context ' || x.id || ' level ' || x.contextlevel || ' instance ' || x.instanceid FROM {p}context x"
            + " WHERE (x.contextlevel = 30 AND NOT EXISTS (SELECT 1 FROM {p}user u WHERE u.id = x.instanceid))"
            + " OR (x.contextlevel = 40 AND NOT EXISTS (SELECT 1 FROM {p}course_categories cc WHERE cc.id = x.instanceid))"
            + " OR (x.contextlevel = 50 AND NOT EXISTS (SELECT 1 FROM {p}course co WHERE co.id = x.instanceid))"
            + " OR (x.contextlevel = 70 AND NOT EXISTS (SELECT 1 FROM {p}course_modules cm WHERE cm.id = x.instanceid))"
            + " OR (x.contextlevel = 80 AND NOT EXISTS (SELECT 1 FROM {p}block_instances b WHERE b.id = x.instanceid))"
            + " OR x.contextlevel NOT IN (10, 30, 40, 50, 70, 80)");

        // ---- users -----------------------------------------------------------------------------------
        checks.put("deleted user still has rows in user tables",
            String.join(" UNION ALL ", java.util.Arrays.stream(USER_TABLES).map(t ->
                "SELECT 'user ' || u.id || ' in " + t + " x' || count(*) FROM {p}" + t + " r JOIN {p}user u"
                + " ON u.id = r.userid WHERE u.deleted <> 0 GROUP BY u.id").toList()));
        checks.put("username not lower case",
            "SELECT 'user ' || id || ' ' || username FROM {p}user WHERE username <> lower(username)");
        checks.put("username not PARAM_USERNAME-clean (extendedusernamechars off)",
            "SELECT 'user ' || id || ' ' || username FROM {p}user WHERE username !~ '^[-.@_a-z0-9]+$'"
            + " AND coalesce((SELECT value FROM {p}config WHERE name = 'extendedusernamechars'), '0') IN ('', '0')");
        checks.put("user mnethostid is not the local host (mnet_localhost_id)",
            "SELECT 'user ' || id || ' ' || username || ' mnethostid ' || mnethostid FROM {p}user WHERE mnethostid <>"
            + " coalesce((SELECT value::bigint FROM {p}config WHERE name = 'mnet_localhost_id'), 1)");
        checks.put("user auth plugin not installed",
            "SELECT 'user ' || u.id || ' ' || u.username || ' auth ' || u.auth FROM {p}user u WHERE NOT EXISTS"
            + " (SELECT 1 FROM {p}config_plugins p WHERE p.plugin = 'auth_' || u.auth AND p.name = 'version')");

        // ---- courses ---------------------------------------------------------------------------------
        checks.put("course category does not exist",
            "SELECT 'course ' || co.id || ' ' || co.shortname || ' category ' || co.category FROM {p}course co"
            + " WHERE co.id <> 1 AND NOT EXISTS (SELECT 1 FROM {p}course_categories cc WHERE cc.id = co.category)");
        checks.put("course without course_sections section 0",
            "SELECT 'course ' || co.id || ' ' || co.shortname FROM {p}course co WHERE co.id <> 1 AND NOT EXISTS"
            + " (SELECT 1 FROM {p}course_sections s WHERE s.course = co.id AND s.section = 0)");
        checks.put("course sections not numbered 0..n",
            "SELECT 'course ' || course || ' sections ' || count(*) || ' max ' || max(section) FROM {p}course_sections"
            + " GROUP BY course HAVING min(section) <> 0 OR max(section) <> count(*) - 1");
        checks.put("course_modules not listed exactly once in its section sequence",
            "SELECT 'cm ' || cm.id || ' course ' || cm.course || ' section ' || cm.section FROM {p}course_modules cm"
            + " LEFT JOIN {p}course_sections s ON s.id = cm.section AND s.course = cm.course"
            + " WHERE s.id IS NULL OR NOT (cm.id::text = ANY (string_to_array(coalesce(s.sequence, ''), ',')))");
        checks.put("course_sections.sequence lists a module not in that section",
            "SELECT 'section ' || s.id || ' course ' || s.course || ' lists ' || e.cmid FROM {p}course_sections s"
            + " CROSS JOIN LATERAL unnest(string_to_array(nullif(s.sequence, ''), ',')) AS e(cmid)"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}course_modules cm WHERE cm.id::text = e.cmid"
            + " AND cm.course = s.course AND cm.section = s.id)");
        checks.put("course sortorder not contiguous cat.sortorder+1 .. cat.sortorder+coursecount",
            "SELECT 'category ' || cc.id || ' sortorder ' || cc.sortorder || ' coursecount ' || cc.coursecount"
            + " || ' courses ' || count(co.id) || ' min ' || min(co.sortorder) || ' max ' || max(co.sortorder)"
            + " || ' distinct ' || count(DISTINCT co.sortorder)"
            + " FROM {p}course_categories cc JOIN {p}course co ON co.category = cc.id AND co.id <> 1"
            + " GROUP BY cc.id, cc.sortorder, cc.coursecount"
            + " HAVING min(co.sortorder) <> cc.sortorder + 1 OR max(co.sortorder) <> cc.sortorder + count(co.id)"
            + " OR count(DISTINCT co.sortorder) <> count(co.id)");
        checks.put("duplicate course sortorder",
            "SELECT 'sortorder ' || sortorder || ' courses ' || string_agg(id::text, ',') FROM {p}course"
            + " GROUP BY sortorder HAVING count(*) > 1");

        // ---- categories ------------------------------------------------------------------------------
        checks.put("category parent does not exist",
            "SELECT 'category ' || cc.id || ' parent ' || cc.parent FROM {p}course_categories cc WHERE cc.parent <> 0"
            + " AND NOT EXISTS (SELECT 1 FROM {p}course_categories p WHERE p.id = cc.parent)");
        checks.put("category path/depth wrong (want <parent path>/<id>, depth parent+1)",
            "SELECT 'category ' || cc.id || ' path ' || cc.path || ' depth ' || cc.depth FROM {p}course_categories cc"
            + " LEFT JOIN {p}course_categories p ON p.id = cc.parent AND cc.parent <> 0"
            + " WHERE cc.path IS DISTINCT FROM (CASE WHEN cc.parent = 0 THEN '' ELSE p.path END) || '/' || cc.id"
            + " OR cc.depth IS DISTINCT FROM (CASE WHEN cc.parent = 0 THEN 1 ELSE p.depth + 1 END)");
        checks.put("category coursecount differs from its number of courses",
            "SELECT 'category ' || cc.id || ' coursecount ' || cc.coursecount || ' actual ' || count(co.id)"
            + " FROM {p}course_categories cc LEFT JOIN {p}course co ON co.category = cc.id AND co.id <> 1"
            + " GROUP BY cc.id, cc.coursecount HAVING cc.coursecount <> count(co.id)");

        // ---- enrolments and roles --------------------------------------------------------------------
        checks.put("enrol instance of a missing course",
            "SELECT 'enrol ' || e.id || ' ' || e.enrol || ' course ' || e.courseid FROM {p}enrol e"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}course co WHERE co.id = e.courseid)");
        checks.put("user_enrolments on a missing enrol instance or user",
            "SELECT 'user_enrolments ' || ue.id || ' enrolid ' || ue.enrolid || ' userid ' || ue.userid"
            + " FROM {p}user_enrolments ue WHERE NOT EXISTS (SELECT 1 FROM {p}enrol e WHERE e.id = ue.enrolid)"
            + " OR NOT EXISTS (SELECT 1 FROM {p}user u WHERE u.id = ue.userid)");
        checks.put("user_enrolments status not 0/1 or timeend before timestart",
            "SELECT 'user_enrolments ' || id || ' status ' || status || ' ' || timestart || '..' || timeend"
            + " FROM {p}user_enrolments WHERE status NOT IN (0, 1) OR (timeend <> 0 AND timeend < timestart)");
        checks.put("role_assignments on a missing context, role or user",
            "SELECT 'role_assignments ' || ra.id || ' role ' || ra.roleid || ' context ' || ra.contextid"
            + " || ' user ' || ra.userid FROM {p}role_assignments ra"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}context x WHERE x.id = ra.contextid)"
            + " OR NOT EXISTS (SELECT 1 FROM {p}role r WHERE r.id = ra.roleid)"
            + " OR NOT EXISTS (SELECT 1 FROM {p}user u WHERE u.id = ra.userid)");
        checks.put("duplicate role assignment (same role, context, user, component, itemid)",
            "SELECT 'role ' || roleid || ' context ' || contextid || ' user ' || userid || ' x' || count(*)"
            + " FROM {p}role_assignments GROUP BY roleid, contextid, userid, component, itemid HAVING count(*) > 1");
        checks.put("component-owned role assignment without its enrol instance",
            "SELECT 'role_assignments ' || ra.id || ' ' || ra.component || ' itemid ' || ra.itemid"
            + " FROM {p}role_assignments ra WHERE ra.component LIKE 'enrol\\_%' AND NOT EXISTS"
            + " (SELECT 1 FROM {p}enrol e WHERE e.id = ra.itemid AND 'enrol_' || e.enrol = ra.component)");

        // ---- groups and cohorts ----------------------------------------------------------------------
        checks.put("groups of a missing course",
            "SELECT 'group ' || g.id || ' course ' || g.courseid FROM {p}groups g"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}course co WHERE co.id = g.courseid)");
        checks.put("groups_members on a missing group or user",
            "SELECT 'groups_members ' || gm.id || ' group ' || gm.groupid || ' user ' || gm.userid"
            + " FROM {p}groups_members gm WHERE NOT EXISTS (SELECT 1 FROM {p}groups g WHERE g.id = gm.groupid)"
            + " OR NOT EXISTS (SELECT 1 FROM {p}user u WHERE u.id = gm.userid)");
        checks.put("group member not enrolled in the group's course",
            "SELECT 'group ' || g.id || ' user ' || gm.userid FROM {p}groups_members gm JOIN {p}groups g ON g.id = gm.groupid"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}user_enrolments ue JOIN {p}enrol e ON e.id = ue.enrolid"
            + " WHERE e.courseid = g.courseid AND ue.userid = gm.userid)");
        checks.put("groupings_groups links a group and a grouping of different (or missing) courses",
            "SELECT 'groupings_groups ' || gg.id FROM {p}groupings_groups gg"
            + " LEFT JOIN {p}groups g ON g.id = gg.groupid LEFT JOIN {p}groupings gr ON gr.id = gg.groupingid"
            + " WHERE g.id IS NULL OR gr.id IS NULL OR g.courseid <> gr.courseid");
        checks.put("cohort context is not the system or a category context",
            "SELECT 'cohort ' || ch.id || ' context ' || ch.contextid FROM {p}cohort ch"
            + " WHERE NOT EXISTS (SELECT 1 FROM {p}context x WHERE x.id = ch.contextid AND x.contextlevel IN (10, 40))");
        checks.put("cohort_members on a missing cohort or user",
            "SELECT 'cohort_members ' || cm.id || ' cohort ' || cm.cohortid || ' user ' || cm.userid"
            + " FROM {p}cohort_members cm WHERE NOT EXISTS (SELECT 1 FROM {p}cohort ch WHERE ch.id = cm.cohortid)"
            + " OR NOT EXISTS (SELECT 1 FROM {p}user u WHERE u.id = cm.userid)");
        // Moodle's cohort sync unenrols a user who leaves the cohort (enrol_cohort's default unenrolaction)
        checks.put("cohort-enrolled user who is not a member of the instance's cohort",
            "SELECT 'enrol ' || e.id || ' cohort ' || e.customint1 || ' user ' || ue.userid"
            + " FROM {p}user_enrolments ue JOIN {p}enrol e ON e.id = ue.enrolid WHERE e.enrol = 'cohort'"
            + " AND NOT EXISTS (SELECT 1 FROM {p}cohort_members cm WHERE cm.cohortid = e.customint1 AND cm.userid = ue.userid)");

        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (Map.Entry<String, String> check : checks.entrySet()) {
                String sql = check.getValue().replace("{p}", prefix);
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                } catch (SQLException e) {
                    throw new SQLException("invariant check failed to run: " + check.getKey() + ": " + e.getMessage(), e);
                }
                addRows(out, check.getKey(), rows);
            }
        }
        categorySortorder(c, prefix, out);
        return out;
    }

    /**
     * Category sortorder must be MAX_COURSES_IN_CATEGORY x position in a depth-first pre-order walk
     * (siblings by sortorder, then id), as {@code fix_course_sortorder()} renumbers it.
     */
    private static void categorySortorder(Connection c, String prefix, List<String> out) throws SQLException {
        long step = 10000;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT value FROM " + prefix + "config WHERE name = 'maxcoursesincategory'");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getString(1) != null && !rs.getString(1).isBlank()) {
                step = Long.parseLong(rs.getString(1).trim());
            }
        }
        record Cat(long id, long parent, long sortorder) { }
        Map<Long, List<Cat>> children = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, parent, sortorder FROM " + prefix + "course_categories")) {
            while (rs.next()) {
                Cat cat = new Cat(rs.getLong(1), rs.getLong(2), rs.getLong(3));
                children.computeIfAbsent(cat.parent(), k -> new ArrayList<>()).add(cat);
            }
        }
        Comparator<Cat> order = Comparator.comparingLong(Cat::sortorder).thenComparingLong(Cat::id);
        children.values().forEach(l -> l.sort(order));
        List<String> rows = new ArrayList<>();
        long[] position = {0};
        java.util.ArrayDeque<Cat> stack = new java.util.ArrayDeque<>();
        List<Cat> top = children.getOrDefault(0L, List.of());
        for (int i = top.size() - 1; i >= 0; i--) {
            stack.push(top.get(i));
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        while (!stack.isEmpty()) {
            Cat cat = stack.pop();
            if (!seen.add(cat.id())) {
                continue;
            }
            long want = step * ++position[0];
            if (cat.sortorder() != want) {
                rows.add("category " + cat.id() + " sortorder " + cat.sortorder() + " want " + want);
            }
            List<Cat> kids = children.getOrDefault(cat.id(), List.of());
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
        }
        addRows(out, "category sortorder is not " + step + " x pre-order position", rows);
    }

    private static void addRows(List<String> out, String check, List<String> rows) {
        for (int i = 0; i < rows.size() && i < MAX_ROWS_PER_CHECK; i++) {
            out.add(check + ": " + rows.get(i));
        }
        if (rows.size() > MAX_ROWS_PER_CHECK) {
            out.add(check + ": ... and " + (rows.size() - MAX_ROWS_PER_CHECK) + " more");
        }
    }

    /** Throws an AssertionError listing every violation. */
    public static void assertNone(Connection c, String prefix) throws SQLException {
        List<String> v = violations(c, prefix);
        if (!v.isEmpty()) {
            throw new AssertionError(v.size() + " Moodle invariant violation(s) in " + prefix + "*:\n  "
                    + String.join("\n  ", v));
        }
    }
}
