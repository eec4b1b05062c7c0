package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.cli.MoodleSyncApp;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.ConfigLoader;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.embedded.EmbeddedMoodle;
import org.moodlesync.pipeline.FileRejectedException;
import org.moodlesync.support.SyncFixture;

/** The database goes away in the middle of a file: the file stops at once with a clear reason instead of failing line after line. */
class DatabaseLostTest {
    @TempDir
    Path tmp;

    @Test
    void aLostDatabaseStopsTheFileWithOneReason() throws Exception {
        EmbeddedMoodle moodle = EmbeddedMoodle.start(null, "mdl_", true);
        Path file = tmp.resolve("userimport.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("username;firstname;lastname\n");
            for (int i = 0; i < 200_000; i++) {
                w.write("u" + i + ";F" + i + ";L" + i + "\n");
            }
        }
        SyncConfig config = ConfigLoader.load(SyncFixture.projectHome(), null, Map.of(), new Properties())
                .with(ConfigKeys.DB_URL, moodle.jdbcUrl()).with(ConfigKeys.DB_USER, moodle.user()).with(ConfigKeys.DB_PASSWORD, moodle.password())
                .with(ConfigKeys.INBOX, tmp.resolve("inbox").toString()).with(ConfigKeys.ARCHIVE, tmp.resolve("archive").toString())
                .with(ConfigKeys.FAILED, tmp.resolve("failed").toString()).with(ConfigKeys.REPORTS, tmp.resolve("reports").toString());
        try (MoodleSyncApp app = MoodleSyncApp.start(config, false)) {
            CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> app.process("users", file, false));
            try (var c = moodle.connect(); var st = c.createStatement()) {
                long users = 0;
                long deadline = System.currentTimeMillis() + 60_000;
                while (users < 1000) {
                    if (run.isDone() || System.currentTimeMillis() > deadline) {
                        throw new AssertionError("the file ended or stalled before the database was stopped: " + (run.isDone() ? org.moodlesync.pipeline.FileRejectedException.messageOf(run.handle((x, e) -> e).get()) : "timeout"));
                    }
                    Thread.sleep(20);
                    try (var rs = st.executeQuery("SELECT count(*) FROM mdl_user")) {
                        rs.next();
                        users = rs.getLong(1);
                    }
                }
            }
            long stoppedAt = System.nanoTime();
            moodle.close();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> run.get(45, TimeUnit.SECONDS));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stoppedAt);
            String message = FileRejectedException.messageOf(e.getCause());
            assertTrue(message.contains("connection to the Moodle database was lost"), message);
            assertTrue(seconds < 60, "the file stopped after " + seconds + " s, not after one timeout per line");
        }
    }
}
