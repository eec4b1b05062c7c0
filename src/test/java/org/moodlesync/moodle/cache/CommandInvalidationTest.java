package org.moodlesync.moodle.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.StandInCommand;
import org.moodlesync.support.SyncFixture;

/** The command strategy with a stand-in script, its failures, and the none strategy's warning. */
class CommandInvalidationTest {
    @TempDir
    Path tmp;

    private static CacheInvalidations.Snapshot groups() {
        CacheInvalidations recorded = new CacheInvalidations();
        recorded.groupsChanged(7);
        recorded.membershipsChanged(List.of(3L, 4L));
        return recorded.snapshot();
    }

    @Test
    void theCommandGetsItsArgumentsAndTheInvalidationsAsJson() throws Exception {
        StandInCommand standIn = StandInCommand.succeeding(tmp);
        String done = new CommandInvalidation(standIn.commandLine(), Duration.ofSeconds(30)).invalidate(groups());
        assertEquals(List.of("--moodle=/var/www/moodle two words"), standIn.arguments());
        assertEquals("{\"events\":[],\"definitions\":{\"core/groupdata\":[7],\"core/user_group_groupings\":[3,4]},\"purge\":[],\"courses\":[]}", standIn.lastCall());
        assertTrue(done.endsWith(": purged as asked"), done);
    }

    @Test
    @Timeout(30)
    void aFailingOrHangingCommandFailsWithItsReason() throws Exception {
        CacheInvalidationException failed = assertThrows(CacheInvalidationException.class,
                () -> new CommandInvalidation(new StandInCommand(tmp.resolve("failing"), 3, 0).commandLine(), Duration.ofSeconds(30)).invalidate(groups()));
        assertTrue(failed.getMessage().contains("failed with exit code 3: Moodle says: cannot reach the cache store"), failed.getMessage());
        CacheInvalidationException hung = assertThrows(CacheInvalidationException.class,
                () -> new CommandInvalidation(new StandInCommand(tmp.resolve("hanging"), 0, 20).commandLine(), Duration.ofSeconds(1)).invalidate(groups()));
        assertTrue(hung.getMessage().contains("did not finish within 1 s"), hung.getMessage());
        CacheInvalidationException missing = assertThrows(CacheInvalidationException.class,
                () -> new CommandInvalidation(tmp.resolve("no-such-script").toString(), Duration.ofSeconds(5)).invalidate(groups()));
        assertTrue(missing.getMessage().startsWith("cannot run "), missing.getMessage());
    }

    @Test
    void commandLinesAreSplitOnBlanksWithQuotes() {
        assertEquals(List.of("ssh", "moodle@host", "php /opt/x.php", "--moodle=/var/www/my moodle"),
                CommandInvalidation.split("ssh  moodle@host 'php /opt/x.php' --moodle=\"/var/www/my moodle\""));
        assertThrows(IllegalArgumentException.class, () -> CommandInvalidation.split("php 'open"));
        assertThrows(IllegalArgumentException.class, () -> CacheInvalidator.strategy("command", " ", Duration.ofSeconds(5), null));
        assertThrows(IllegalArgumentException.class, () -> CacheInvalidator.strategy("filestore", "", Duration.ofSeconds(5), null));
        assertThrows(IllegalArgumentException.class, () -> CacheInvalidator.strategy("redis", "", Duration.ofSeconds(5), null));
    }

    @Test
    void aFailedInvalidationLeavesTheDataWrittenAndWarnsInTheReport() throws Exception {
        StandInCommand failing = new StandInCommand(tmp.resolve("failing"), 3, 0);
        try (SyncFixture sync = new SyncFixture(tmp)) {
            sync.set(ConfigKeys.CACHE_INVALIDATION, "command").set(ConfigKeys.CACHE_COMMAND, failing.commandLine());
            RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nBIO;Biology;Life\n");
            assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
            assertEquals(1, sync.count("SELECT count(*) FROM mdl_course WHERE shortname = 'BIO'"), "nothing rolled back");
            assertEquals(1, failing.calls().size());
            String warning = s.notes().stream().filter(n -> n.startsWith("WARNING Moodle caches: invalidation by command failed")).findFirst().orElseThrow(
                    () -> new AssertionError(s.notes().toString()));
            assertTrue(warning.contains("exit code 3: Moodle says: cannot reach the cache store"), warning);
            assertTrue(warning.contains("purge_caches.php --muc"), warning);
            assertTrue(Files.readString(s.reportHtml()).contains("invalidation by command failed"));
            sync.assertMoodleConsistent();
        }
    }

    @Test
    void withNoneTheReportWarnsThatMoodleNeedsAPurge() throws Exception {
        try (SyncFixture sync = new SyncFixture(tmp)) {
            RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nBIO;Biology;Life\n");
            assertTrue(s.notes().contains("WARNING Moodle caches: not invalidated (moodle.cache.invalidation=none), Moodle may show old data until its caches"
                    + " are purged: events changesincoursecat, changesincourse; purge them on the Moodle host: php admin/cli/purge_caches.php --muc"), s.notes().toString());
        }
    }
}
