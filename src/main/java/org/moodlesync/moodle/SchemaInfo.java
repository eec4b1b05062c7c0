package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Moodle tables and columns the connected database has, read once from the catalog. The
 * users of this class check that what moodle-sync needs is there (the {@code check} command,
 * the start of every file) and clean optional tables only where the site has them.
 */
public final class SchemaInfo {
    /** Tables and columns moodle-sync reads or writes; a database lacking one is refused. */
    public static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("config", List.of("name", "value")),
            Map.entry("config_plugins", List.of("plugin", "name", "value")),
            Map.entry("context", List.of("id", "contextlevel", "instanceid", "path", "depth", "locked")),
            Map.entry("user", List.of("id", "auth", "confirmed", "deleted", "suspended", "mnethostid", "username", "password",
                    "idnumber", "firstname", "lastname", "email", "picture", "timecreated", "timemodified", "lang", "timezone",
                    "country", "city", "middlename", "alternatename", "firstnamephonetic", "lastnamephonetic", "calendartype", "description",
                    "maildisplay", "mailformat", "maildigest", "autosubscribe", "trackforums")),
            Map.entry("user_preferences", List.of("userid", "name", "value")),
            Map.entry("user_info_field", List.of("id", "shortname", "datatype", "param1")),
            Map.entry("user_info_data", List.of("userid", "fieldid", "data", "dataformat")),
            Map.entry("role_assignments", List.of("userid", "contextid", "roleid")),
            Map.entry("cohort_members", List.of("cohortid", "userid")),
            Map.entry("groups_members", List.of("groupid", "userid")),
            Map.entry("user_enrolments", List.of("enrolid", "userid")),
            Map.entry("user_lastaccess", List.of("userid", "courseid")),
            Map.entry("external_tokens", List.of("userid")),
            Map.entry("external_services_users", List.of("userid")),
            Map.entry("cache_flags", List.of("flagtype", "name", "value", "expiry")),
            Map.entry("files", List.of("contextid", "component", "filearea")),
            Map.entry("block_instances", List.of("parentcontextid")),
            Map.entry("course", List.of("id", "category", "sortorder", "fullname", "shortname", "idnumber", "summary", "format",
                    "visible", "visibleold", "startdate", "enddate", "cacherev", "timecreated", "timemodified", "summaryformat",
                    "showactivitydates", "showcompletionconditions")),
            Map.entry("course_categories", List.of("id", "name", "idnumber", "description", "parent", "sortorder", "coursecount", "visible",
                    "depth", "path")),
            Map.entry("course_sections", List.of("course", "section", "name", "summary", "sequence", "visible")),
            Map.entry("course_format_options", List.of("courseid", "format", "sectionid", "name", "value")),
            Map.entry("enrol", List.of("enrol", "status", "courseid", "sortorder", "roleid")),
            Map.entry("role", List.of("id", "shortname")),
            Map.entry("role_context_levels", List.of("roleid", "contextlevel")),
            Map.entry("groups", List.of("id", "courseid", "name", "idnumber")),
            Map.entry("groupings", List.of("id", "courseid")),
            Map.entry("groupings_groups", List.of("groupingid", "groupid")),
            Map.entry("modules", List.of("id", "name")),
            Map.entry("course_modules", List.of("id", "course", "module", "instance", "section", "added")),
            Map.entry("forum", List.of("id", "course", "type", "name", "intro", "introformat", "forcesubscribe", "maxattachments",
                    "assessed", "timemodified")),
            Map.entry("cohort", List.of("id", "contextid", "name", "idnumber", "description", "component")));

    private final Map<String, Set<String>> columns;

    private SchemaInfo(Map<String, Set<String>> columns) {
        this.columns = columns;
    }

    public static SchemaInfo load(Connection c, MoodleDatabase db) throws SQLException {
        Map<String, Set<String>> cols = new HashMap<>();
        String prefix = db.prefix();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name LIKE ?")) {
            ps.setString(1, prefix.replace("_", "\\_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.computeIfAbsent(rs.getString(1).substring(prefix.length()), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return new SchemaInfo(cols);
    }

    public boolean hasTable(String table) {
        return columns.containsKey(table);
    }

    public boolean hasColumn(String table, String column) {
        Set<String> cols = columns.get(table);
        return cols != null && cols.contains(column);
    }

    public boolean isEmpty() {
        return columns.isEmpty();
    }

    public int tableCount() {
        return columns.size();
    }

    /** What is missing of {@link #REQUIRED}, as "table" or "table.column" names. */
    public List<String> missing() {
        List<String> missing = new java.util.ArrayList<>();
        for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(REQUIRED).entrySet()) {
            Set<String> have = columns.get(e.getKey());
            if (have == null) {
                missing.add(e.getKey());
                continue;
            }
            for (String col : e.getValue()) {
                if (!have.contains(col)) {
                    missing.add(e.getKey() + "." + col);
                }
            }
        }
        return missing;
    }
}
