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
 * Cohorts as cohort_add_cohort(), cohort_update_cohort(), cohort_add_member(),
 * cohort_remove_member() and cohort_delete_cohort() write them.
 */
public final class MoodleCohorts {
    /** A cohort row. */
    public record Cohort(long id, long contextId, String name, String idnumber, String description, String component) implements IdentifiedRow {
    }

    private final MoodleDatabase db;

    public MoodleCohorts(MoodleDatabase db) {
        this.db = db;
    }

    /** Cohorts whose identifier field (id, idnumber or name) has one of the values. */
    public Map<String, List<Cohort>> by(Connection c, String identifier, Collection<String> values) throws SQLException {
        Map<String, List<Cohort>> found = new HashMap<>();
        if (values.isEmpty()) {
            return found;
        }
        String where = identifier.equals("id") ? "id = ANY(CAST(? AS bigint[]))" : identifier + " = ANY(?)";
        try (PreparedStatement ps = c.prepareStatement("SELECT id, contextid, name, idnumber, description, component FROM " + db.table("cohort") + " WHERE " + where)) {
            ps.setArray(1, c.createArrayOf("varchar", (identifier.equals("id") ? values.stream().filter(v -> v.matches("\\d{1,18}")).toList() : values).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Cohort co = new Cohort(rs.getLong(1), rs.getLong(2), rs.getString(3), java.util.Objects.requireNonNullElse(rs.getString(4), ""),
                            java.util.Objects.requireNonNullElse(rs.getString(5), ""), rs.getString(6));
                    found.computeIfAbsent(co.by(identifier), k -> new ArrayList<>()).add(co);
                }
            }
        }
        return found;
    }

    /** @param component the plugin owning the cohort ('' for a cohort managed in Moodle's UI) */
    public long create(Connection c, long contextId, String name, String idnumber, String description, String component, long now) throws SQLException {
        long id = Ids.next(c, db, "cohort", 1)[0];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table("cohort")
                + " (id, contextid, name, idnumber, description, descriptionformat, visible, component, timecreated, timemodified, theme)"
                + " VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?, ?, '')")) {
            ps.setLong(1, id);
            ps.setLong(2, contextId);
            ps.setString(3, name);
            ps.setString(4, idnumber);
            ps.setString(5, description == null ? "" : description); // cohort_add_cohort(): '' when none is given
            ps.setString(6, component);
            ps.setLong(7, now);
            ps.setLong(8, now);
            ps.executeUpdate();
        }
        return id;
    }

    public void update(Connection c, Cohort cohort, long contextId, String name, String idnumber, String description, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("cohort")
                + " SET contextid = ?, name = ?, idnumber = ?, description = ?, timemodified = ? WHERE id = ?")) {
            ps.setLong(1, contextId);
            ps.setString(2, name);
            ps.setString(3, idnumber);
            ps.setString(4, description);
            ps.setLong(5, now);
            ps.setLong(6, cohort.id());
            ps.executeUpdate();
        }
    }

    public boolean addMember(Connection c, long cohortId, long userId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table("cohort_members") + " (cohortid, userid, timeadded) VALUES (?, ?, ?)"
                + " ON CONFLICT (cohortid, userid) DO NOTHING")) {
            ps.setLong(1, cohortId);
            ps.setLong(2, userId);
            ps.setLong(3, now);
            return ps.executeUpdate() > 0;
        }
    }

    public boolean removeMember(Connection c, long cohortId, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("cohort_members") + " WHERE cohortid = ? AND userid = ?")) {
            ps.setLong(1, cohortId);
            ps.setLong(2, userId);
            return ps.executeUpdate() > 0;
        }
    }

    /** Empties the cohort; returns how many members left. */
    public int free(Connection c, long cohortId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("cohort_members") + " WHERE cohortid = ?")) {
            ps.setLong(1, cohortId);
            return ps.executeUpdate();
        }
    }

    /**
     * cohort_delete_cohort(): the cohort, its members, and the cohort enrolment methods bound to
     * it with everything they enrolled (enrolments, the roles and group memberships they gave).
     */
    public void delete(Connection c, long cohortId, long now) throws SQLException {
        CohortLinks links = new CohortLinks(db);
        for (long instance : links.instancesOf(c, cohortId)) {
            links.delete(c, instance, now);
        }
        for (String sql : List.of(
                "DELETE FROM " + db.table("cohort_members") + " WHERE cohortid = ?",
                "DELETE FROM " + db.table("cohort") + " WHERE id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, cohortId);
                ps.executeUpdate();
            }
        }
    }

    /** The context of a category (a cohort may live there instead of the system context), or null. */
    public Long categoryContext(Connection c, long categoryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + db.table("context") + " WHERE contextlevel = ? AND instanceid = ?")) {
            ps.setInt(1, ContextLevel.COURSECAT.level);
            ps.setLong(2, categoryId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
