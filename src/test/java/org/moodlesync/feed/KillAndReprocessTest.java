package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;
import org.moodlesync.support.TestDatabases;

/**
 * moodle-sync is killed (SIGKILL) in the middle of a file; processing the file again gives the
 * state of one clean run: every user once, every line created or unchanged, Moodle consistent.
 */
class KillAndReprocessTest {
    private static final int LINES = 60_000;

    @TempDir
    Path tmp;

    @Test
    void killedMidFileThenReprocessed() throws Exception {
        try (SyncFixture sync = new SyncFixture(tmp)) {
            Path file = tmp.resolve("userimport.csv");
            try (BufferedWriter w = Files.newBufferedWriter(file)) {
                w.write("username;idnumber;firstname;lastname;email;auth\n");
                for (int i = 0; i < LINES; i++) {
                    w.write("u" + i + ";I" + i + ";First" + i + ";Last" + i + ";u" + i + "@example.org;manual\n");
                }
            }
            Path props = tmp.resolve("kill.properties");
            Files.writeString(props, String.join("\n", ConfigKeys.DB_URL + "=" + sync.dbUrl, ConfigKeys.DB_USER + "=" + TestDatabases.user(),
                    ConfigKeys.DB_PASSWORD + "=" + TestDatabases.password(), ConfigKeys.REPORTS + "=" + tmp.resolve("killed-reports"),
                    ConfigKeys.ARCHIVE + "=" + tmp.resolve("killed-archive"), ConfigKeys.INBOX + "=" + tmp.resolve("killed-inbox"),
                    ConfigKeys.FAILED + "=" + tmp.resolve("killed-failed")));
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-D" + ConfigKeys.HOME + "=" + SyncFixture.projectHome(),
                    "org.moodlesync.cli.MoodleSyncCli", "import", "users", file.toString(), "--config", props.toString()))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
            long applied = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            // a few chunks in: their outcomes are in the partial report the kill leaves
            while (applied < 5_000 && System.currentTimeMillis() < deadline && p.isAlive()) {
                Thread.sleep(5);
                applied = sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'u%'");
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            long atKill = sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'u%'");
            assertTrue(atKill > 0 && atKill < LINES, "killed in the middle of the file: " + atKill + " users were written");
            assertEquals(0, atKill % 500, "a chunk is written whole or not at all");

            Path reports = tmp.resolve("killed-reports");
            try (var left = Files.list(reports)) {
                assertTrue(left.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "the kill left a partial report");
            }
            sync.set(ConfigKeys.REPORTS, reports.toString());
            RunSummary again = sync.app().process("users", file, false);
            try (var left = Files.list(reports)) {
                assertEquals(List.of(), left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
                        "the next run of the file removed what the killed run left");
            }
            assertEquals(0, again.failed(), again.oneLine());
            assertEquals(atKill, again.count(OutcomeType.UNCHANGED), again.oneLine());
            assertEquals(LINES - atKill, again.count(OutcomeType.CREATED));
            assertEquals(LINES, sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'u%'"));
            assertEquals(LINES, sync.count("SELECT count(DISTINCT idnumber) FROM mdl_user WHERE username LIKE 'u%'"));
            assertEquals(LINES, sync.count("SELECT count(*) FROM mdl_context c JOIN mdl_user u ON c.contextlevel = 30 AND c.instanceid = u.id WHERE u.username LIKE 'u%'"));
            sync.assertMoodleConsistent();
        }
    }
}
