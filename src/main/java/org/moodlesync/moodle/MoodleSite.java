package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What moodle-sync knows of the Moodle site it writes: its schema and settings, checked on
 * load. Loaded by the {@code check} command and at the start of every file, so a setting
 * changed in Moodle is honoured by the next file without a restart.
 */
public record MoodleSite(SchemaInfo schema, SiteSettings settings) {

    /** Tables moodle-sync only reads; it writes every other table of {@link SchemaInfo#REQUIRED}. */
    private static final java.util.Set<String> READ_ONLY = java.util.Set.of("config", "config_plugins", "user_info_field", "role",
            "role_context_levels", "modules", "course_modules");

    /** A read-only database user passes the schema check and then fails on the first insert: check the rights up front. */
    private static List<String> deniedPrivileges(Connection c, MoodleDatabase db) throws SQLException {
        List<String> denied = new java.util.ArrayList<>();
        // has_table_privilege('SELECT,INSERT') is true when ANY of them is held: ask for each one.
        try (java.sql.PreparedStatement table = c.prepareStatement("SELECT bool_and(has_table_privilege(?, p)) FROM unnest(string_to_array(?, ',')) AS p");
             java.sql.PreparedStatement sequence = c.prepareStatement("SELECT has_sequence_privilege(?, 'USAGE')")) {
            for (String t : new java.util.TreeSet<>(SchemaInfo.REQUIRED.keySet())) {
                table.setString(1, db.table(t));
                table.setString(2, READ_ONLY.contains(t) ? "SELECT" : "SELECT,INSERT,UPDATE,DELETE");
                try (java.sql.ResultSet rs = table.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        denied.add(db.table(t) + (READ_ONLY.contains(t) ? " (SELECT)" : ""));
                    }
                }
            }
            for (String t : List.of("user", "context", "course", "course_categories", "course_sections", "course_format_options", "enrol",
                    "user_enrolments", "role_assignments", "cache_flags", "groups", "cohort", "cohort_members")) {
                sequence.setString(1, db.table(t) + "_id_seq");
                try (java.sql.ResultSet rs = sequence.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        denied.add(db.table(t) + "_id_seq (USAGE)");
                    }
                }
            }
        }
        return denied;
    }

    public static MoodleSite load(MoodleDatabase db) {
        try (Connection c = db.dataSource().getConnection()) {
            SchemaInfo schema = SchemaInfo.load(c, db);
            if (!schema.hasTable("config")) {
                throw new MoodleUnavailableException("this database has no Moodle tables with the prefix \""
                        + db.prefix() + "\" (no " + db.table("config") + " table): is moodle.db.url the Moodle database and moodle.db.prefix its prefix?");
            }
            SiteSettings settings = SiteSettings.load(c, db);
            if (settings.version() == 0) {
                throw new MoodleUnavailableException("no Moodle version in " + db.table("config") + ": this is not an installed Moodle database");
            }
            if (settings.version() < SiteSettings.MIN_VERSION) {
                throw new MoodleUnavailableException("Moodle " + settings.release() + " (version " + settings.version()
                        + ") is older than Moodle 4.1, the oldest release moodle-sync writes for");
            }
            List<String> missing = schema.missing();
            if (!missing.isEmpty()) {
                throw new MoodleUnavailableException("the Moodle database lacks what moodle-sync needs: " + String.join(", ", missing));
            }
            List<String> denied = deniedPrivileges(c, db);
            if (!denied.isEmpty()) {
                throw new MoodleUnavailableException("the database user may not write what moodle-sync writes: " + String.join(", ", denied)
                        + " (grant SELECT, INSERT, UPDATE, DELETE on Moodle's tables and USAGE on their sequences)");
            }
            return new MoodleSite(schema, settings);
        } catch (SQLException e) {
            throw new MoodleUnavailableException("cannot read the Moodle database: " + SqlErrors.describe(e), e);
        }
    }
}
