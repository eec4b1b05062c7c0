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
            return new MoodleSite(schema, settings);
        } catch (SQLException e) {
            throw new MoodleUnavailableException("cannot read the Moodle database: " + SqlErrors.describe(e), e);
        }
    }
}
