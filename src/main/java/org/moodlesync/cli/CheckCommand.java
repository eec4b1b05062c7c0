package org.moodlesync.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import com.zaxxer.hikari.HikariDataSource;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.feed.FeedCatalog;
import org.moodlesync.intake.FeedSchedules;
import org.moodlesync.intake.FileClaims;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.MoodleUnavailableException;
import org.moodlesync.sources.SftpSource;
import org.moodlesync.sources.SftpSources;

/** {@code moodle-sync check}: is moodle.db.url a Moodle database moodle-sync can write, and what is in it. */
final class CheckCommand {
    private final SyncConfig config;
    private final PrintStream out;
    private final PrintStream err;

    CheckCommand(SyncConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int run() throws Exception {
        try (HikariDataSource ds = MoodleSyncApp.dataSource(config)) {
            MoodleDatabase db = new MoodleDatabase(ds, config.get(ConfigKeys.DB_PREFIX, "mdl_"));
            MoodleSite site;
            try {
                site = MoodleSite.load(db);
            } catch (MoodleUnavailableException e) {
                err.println("moodle-sync: " + e.getMessage());
                return ExitCodes.NOT_PROCESSED;
            }
            out.println("database:      " + config.get(ConfigKeys.DB_URL) + " (user " + config.get(ConfigKeys.DB_USER, "") + ")");
            out.println("Moodle:        " + site.settings().release() + ", version " + site.settings().core("version", "?"));
            out.println("table prefix:  " + db.prefix() + " (" + site.schema().tableCount() + " tables)");
            out.println("mnet host:     " + site.settings().mnetLocalHostId());
            out.println("default lang:  " + site.settings().defaultLang() + ", site time zone " + site.settings().zone() + " (new users get 99, server time)");
            out.println("auth plugins:  " + String.join(", ", site.settings().installedAuths()));
            out.println("same emails:   " + (site.settings().allowAccountsSameEmail() ? "allowed" : "not allowed"));
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE deleted = 0), count(*) FILTER (WHERE deleted = 1) FROM " + db.table("user"))) {
                rs.next();
                out.println("users:         " + rs.getLong(1) + " (and " + rs.getLong(2) + " deleted)");
            }
            out.println("tables and columns moodle-sync needs: all present");
            try {
                printIntake();
                if (IntakeSettings.claimsInDatabase(config)) {
                    checkClaimsTable(ds);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("moodle-sync: " + e.getMessage());
                return ExitCodes.NOT_PROCESSED;
            }
            return ExitCodes.OK;
        }
    }

    /**
     * Instances that claim files in the database need the claims table: either it exists and the
     * user can use it, or the user may create it (run creates it at its first start).
     */
    private void checkClaimsTable(HikariDataSource ds) throws SQLException {
        String table = FileClaims.TABLE;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL,"
                     + " CASE WHEN to_regclass(?) IS NULL THEN has_schema_privilege(current_schema(), 'CREATE')"
                     + " ELSE has_table_privilege(?, 'SELECT, INSERT, UPDATE, DELETE') END")) {
            ps.setString(1, table);
            ps.setString(2, table);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean exists = rs.getBoolean(1);
                if (!rs.getBoolean(2)) {
                    throw new IllegalStateException(exists
                            ? "the database user cannot read and write the claims table " + table + " (GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + ")"
                            : "the claims table " + table + " does not exist and the database user may not create it: create it beforehand (docs/deployment.md)");
                }
                out.println("claims table:  " + table + (exists ? " (present)" : " (created at the first start of run)"));
            }
        }
    }

    /** What the run command would start besides the inbox: each setting checked as at start, without connecting anywhere. */
    private void printIntake() {
        List<SftpSource> sources = SftpSources.read(config).sources();
        out.println("sftp sources:  " + (sources.isEmpty() ? "none" : sources.stream().map(Object::toString).collect(Collectors.joining(", "))));
        Set<String> scheduled = FeedSchedules.read(config, new FeedCatalog(), MoodleSyncApp.customFeeds(config)).feeds();
        out.println("schedules:     " + (scheduled.isEmpty() ? "none (files run as they arrive)"
                : scheduled.stream().map(f -> f + " (" + config.get(ConfigKeys.cron(f), "") + ")").collect(Collectors.joining(", "))));
        String done = config.get(ConfigKeys.BATCH_DONE_FILE, "");
        out.println("batches:       " + (done.isBlank() ? "none" : "held until " + done + " arrives"));
        String cluster = config.get(ConfigKeys.CLUSTER, "none").toLowerCase(Locale.ROOT);
        if (!List.of("none", "file", "kubernetes").contains(cluster)) {
            throw new IllegalArgumentException("sync.cluster must be none, file or kubernetes (not \"" + cluster + "\")");
        }
        out.println("instances:     " + (IntakeSettings.claimsInDatabase(config) ? "files claimed in " + FileClaims.TABLE : "inbox of its own")
                + (config.flag(ConfigKeys.INTAKE_SHARED) ? ", inbox shared" : "") + ", cluster " + cluster);
        out.println("Moodle caches: " + MoodleSyncApp.cacheInvalidator(config).strategy().name());
    }
}
