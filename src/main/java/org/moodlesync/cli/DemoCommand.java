package org.moodlesync.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.embedded.EmbeddedMoodle;
import org.moodlesync.pipeline.RunSummary;

/**
 * {@code moodle-sync demo}: a fresh embedded PostgreSQL holding a Moodle 5.0-shaped database,
 * the files of examples/ dropped into an inbox, processed by the real intake and feed routes
 * (plus the custom HR feed of examples/custom-feed), and a summary of what happened.
 */
final class DemoCommand {
    private static final long TIMEOUT_MS = 300_000;

    private final SyncConfig config;
    private final PrintStream out;
    private final PrintStream err;

    DemoCommand(SyncConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int run() throws Exception {
        Path examples = config.home().resolve("examples");
        Path customFeed = examples.resolve("custom-feed");
        Path work = config.home().resolve("work/demo");
        deleteTree(work);
        out.println("moodle-sync demo: starting an embedded PostgreSQL with a fresh Moodle 5.0-shaped database...");
        try (EmbeddedMoodle moodle = EmbeddedMoodle.start(null, "mdl_")) {
            SyncConfig demo = withCustomFeed(config, customFeed)
                    .with(ConfigKeys.DB_URL, moodle.jdbcUrl())
                    .with(ConfigKeys.DB_USER, moodle.user())
                    .with(ConfigKeys.DB_PASSWORD, moodle.password())
                    .with(ConfigKeys.DB_PREFIX, "mdl_")
                    .with(ConfigKeys.INBOX, work.resolve("inbox").toString())
                    .with(ConfigKeys.ARCHIVE, work.resolve("archive").toString())
                    .with(ConfigKeys.FAILED, work.resolve("failed").toString())
                    .with(ConfigKeys.REPORTS, work.resolve("reports").toString())
                    .with("sync.intake.poll-delay", "300")
                    .with("sync.intake.read-lock", "none");
            Files.createDirectories(work.resolve("inbox"));
            List<Path> feeds;
            try (Stream<Path> files = Files.list(examples)) {
                feeds = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            }
            // Copy under a temporary name, then rename: the intake never sees a half-written file.
            for (Path f : feeds) {
                Path tmp = work.resolve("inbox").resolve("." + f.getFileName());
                Files.copy(f, tmp);
                Files.move(tmp, work.resolve("inbox").resolve(f.getFileName()));
            }
            out.println("dropped " + feeds.size() + " example files into " + work.resolve("inbox"));
            try (MoodleSyncApp app = MoodleSyncApp.start(demo, true, customFeed)) {
                long deadline = System.currentTimeMillis() + TIMEOUT_MS;
                while (!app.inboxIdle()) {
                    if (System.currentTimeMillis() > deadline) {
                        err.println("moodle-sync demo: the inbox was not processed within " + TIMEOUT_MS / 1000 + " s");
                        return ExitCodes.NOT_PROCESSED;
                    }
                    Thread.sleep(200);
                }
                out.println();
                for (RunSummary s : app.summaries()) {
                    ImportCommand.print(out, s);
                }
                printFailedFiles(work.resolve("failed"));
                printMoodle(moodle);
            }
            out.println();
            out.println("reports and tryback files: " + work.resolve("reports"));
            out.println("processed files:           " + work.resolve("archive"));
            out.println("the embedded database is discarded now; point moodle.db.url at a real Moodle to sync it (see README.md)");
        }
        return ExitCodes.OK;
    }

    /** The custom feed example declares its file pattern in examples/custom-feed/custom-feed.properties. */
    private static SyncConfig withCustomFeed(SyncConfig config, Path customFeed) throws IOException {
        Path props = customFeed.resolve("custom-feed.properties");
        SyncConfig result = config;
        if (Files.isRegularFile(props)) {
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(props)) {
                p.load(r);
            }
            for (String k : p.stringPropertyNames()) {
                result = result.with(k, p.getProperty(k));
            }
        }
        return result;
    }

    private void printFailedFiles(Path failed) throws IOException {
        try (Stream<Path> files = Files.list(failed)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".error.txt")).sorted().toList()) {
                out.println("not processed: " + f.getFileName().toString().replace(".error.txt", "") + ": " + Files.readString(f).trim());
            }
        }
    }

    private void printMoodle(EmbeddedMoodle moodle) throws Exception {
        try (Connection c = moodle.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE deleted = 0 AND suspended = 0), count(*) FILTER (WHERE suspended = 1 AND deleted = 0),"
                     + " count(*) FILTER (WHERE deleted = 1) FROM mdl_user WHERE id > 2")) {
            rs.next();
            out.println();
            out.println("Moodle now holds " + rs.getLong(1) + " active, " + rs.getLong(2) + " suspended and " + rs.getLong(3)
                    + " deleted accounts (besides guest and admin)");
        }
        try (Connection c = moodle.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM mdl_course WHERE id > 1), (SELECT count(*) FROM mdl_course_categories)")) {
            rs.next();
            out.println("and " + rs.getLong(1) + " courses in " + rs.getLong(2) + " categories");
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
