package org.moodlesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.support.TestDatabases;

/** The commands as operators run them: arguments, exit codes, one clear line on stderr. */
class CommandsTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    private Result run(String dbUrl, String... args) throws Exception {
        Path props = tmp.resolve("test.properties");
        Files.writeString(props, String.join("\n",
                "moodle.db.url=" + dbUrl,
                "moodle.db.user=" + TestDatabases.user(),
                "moodle.db.password=" + TestDatabases.password(),
                "sync.inbox=" + tmp.resolve("inbox"),
                "sync.archive=" + tmp.resolve("archive"),
                "sync.failed=" + tmp.resolve("failed"),
                "sync.reports=" + tmp.resolve("reports")));
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("--config");
        argv.add(props.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MoodleSyncCli.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path file(String name, String content) throws Exception {
        Path f = tmp.resolve("files").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    @Test
    void importExitCodes() throws Exception {
        String db = TestDatabases.freshMoodle();
        Path good = file("userimport.csv", "username;firstname;lastname\nann;Ann;One\n");
        Result ok = run(db, "import", "users", good.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("created=1"), ok.out());
        assertTrue(Files.exists(good), "import leaves the operator's file where it is");
        try (var archived = Files.list(tmp.resolve("archive"))) {
            assertEquals(1, archived.count(), "and keeps a copy in the archive");
        }

        Path someBad = file("userimport2.csv", "username;firstname;lastname\nbob;Bob;Two\nb b;Bad;Name\n");
        Result partial = run(db, "import", "users", someBad.toString());
        assertEquals(1, partial.code());
        assertTrue(partial.out().contains("tryback:"), partial.out());

        Path badHeader = file("userimport3.csv", "username;lastname\nbob;Two\n");
        Result rejected = run(db, "import", "users", badHeader.toString());
        assertEquals(2, rejected.code());
        assertEquals(1, rejected.err().lines().count(), "one line: " + rejected.err());
        assertTrue(rejected.err().contains("missing required column firstname"), rejected.err());
        assertFalse(rejected.err().contains("\tat "), "no stack trace");

        Result missing = run(db, "import", "users", tmp.resolve("nope.csv").toString());
        assertEquals(2, missing.code());
        Result unknownFeed = run(db, "import", "nosuchfeed", good.toString());
        assertEquals(2, unknownFeed.code());
        assertTrue(unknownFeed.err().contains("nosuchfeed"), unknownFeed.err());
    }

    @Test
    void dryRunImportWritesNothing() throws Exception {
        String db = TestDatabases.freshMoodle();
        Path good = file("userimport.csv", "username;firstname;lastname\nann;Ann;One\n");
        Result dry = run(db, "import", "users", good.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("[dry run]"), dry.out());
        try (var c = TestDatabases.connect(db); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM mdl_user WHERE username = 'ann'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void unusableDatabasesAreRefusedWithOneClearLine() throws Exception {
        Path good = file("userimport.csv", "username;firstname;lastname\nann;Ann;One\n");
        Result unreachable = run("jdbc:postgresql://127.0.0.1:1/moodle?connectTimeout=2", "import", "users", good.toString());
        assertEquals(2, unreachable.code());
        assertTrue(unreachable.err().contains("unreachable") || unreachable.err().contains("onnection"), unreachable.err());
        assertEquals(1, unreachable.err().lines().count(), unreachable.err());

        Result notMoodle = run(TestDatabases.emptyDatabase(), "check");
        assertEquals(2, notMoodle.code());
        assertTrue(notMoodle.err().contains("no Moodle tables"), notMoodle.err());

        String old = TestDatabases.freshMoodle();
        try (var c = TestDatabases.connect(old); var st = c.createStatement()) {
            st.execute("UPDATE mdl_config SET value = '2022041900' WHERE name = 'version'");
        }
        Result tooOld = run(old, "import", "users", good.toString());
        assertEquals(2, tooOld.code());
        assertTrue(tooOld.err().contains("older than Moodle 4.1"), tooOld.err());
    }

    @Test
    void aReadOnlyDatabaseUserIsRefusedUpFront() throws Exception {
        String db = TestDatabases.freshMoodle();
        try (var c = TestDatabases.connect(db); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN CREATE ROLE reader LOGIN PASSWORD 'reader'; END IF; END $$");
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader");
        }
        Path props = tmp.resolve("reader.properties");
        Files.writeString(props, "moodle.db.url=" + db + "\nmoodle.db.user=reader\nmoodle.db.password=reader\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MoodleSyncCli.run(new String[] {"check", "--config", props.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("may not write"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkDescribesTheSite() throws Exception {
        Result check = run(TestDatabases.freshMoodle(), "check");
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("2025041406.11"), check.out());
        assertTrue(check.out().contains("all present"), check.out());
        assertTrue(check.out().contains("schedules:     none") && check.out().contains("Moodle caches: none"), check.out());
        System.setProperty("sync.intake.shared", "true");
        try {
            Result shared = run(TestDatabases.freshMoodle(), "check");
            assertEquals(0, shared.code(), shared.err());
            assertTrue(shared.out().contains("claims table:  moodlesync_file_claims (created at the first start of run)"), shared.out());
        } finally {
            System.clearProperty("sync.intake.shared");
        }
        System.setProperty("feeds.users.cron", "every night");
        try {
            Result badCron = run(TestDatabases.freshMoodle(), "check");
            assertEquals(ExitCodes.NOT_PROCESSED, badCron.code(), badCron.out());
            assertTrue(badCron.err().contains("feeds.users.cron = every night is not a quartz cron"), badCron.err());
        } finally {
            System.clearProperty("feeds.users.cron");
        }
    }

    @Test
    void unknownCommandAndHelp() throws Exception {
        assertEquals(2, run(TestDatabases.freshMoodle(), "frobnicate").code());
        Result help = run(TestDatabases.freshMoodle(), "help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("import <feed> <file>"));
    }
}
