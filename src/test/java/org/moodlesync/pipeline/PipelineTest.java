package org.moodlesync.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.cli.MoodleSyncApp;
import org.moodlesync.support.SyncFixture;

/** The common pipeline through the real YAML routes: intake, archive, failed files, dry run, tryback, reports. */
class PipelineTest {
    @TempDir
    Path tmp;
    SyncFixture sync;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
    }

    @AfterEach
    void stop() {
        sync.close();
    }

    private static void dropInto(Path inbox, String name, String content) throws Exception {
        org.moodlesync.support.Inboxes.drop(inbox, name, content);
    }

    private static void awaitIdle(MoodleSyncApp app) throws Exception {
        Thread.sleep(300);
        org.moodlesync.support.Inboxes.await("the inbox processed", 30_000, app::inboxIdle);
    }

    private static List<String> names(Path dir) throws Exception {
        return org.moodlesync.support.Inboxes.names(dir);
    }

    @Test
    void intakeRecognisesFeedsRunsThemInDependencyOrderAndArchivesWithoutOverwriting() throws Exception {
        Path inbox = tmp.resolve("inbox");
        // written before the app starts so that one poll sees both: the delete must run after the import
        dropInto(inbox, "userdelete.csv", "username\nann\n");
        dropInto(inbox, "userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
        MoodleSyncApp app = sync.startPolling();
        awaitIdle(app);
        assertEquals(List.of("users", "users-delete"), app.summaries().stream().map(RunSummary::feed).toList());
        assertEquals("1", sync.scalar("SELECT deleted FROM mdl_user WHERE email = md5('ann')"));
        assertEquals("0", sync.scalar("SELECT deleted FROM mdl_user WHERE username = 'bob'"));

        dropInto(inbox, "userimport.csv", "username;firstname;lastname\nbob;Bob;Two\n");
        awaitIdle(app);
        dropInto(inbox, "userimport.csv", "username;firstname;lastname\nbob;Bob;Three\n");
        awaitIdle(app);
        List<String> archived = names(tmp.resolve("archive"));
        assertEquals(4, archived.size(), archived.toString());
        assertTrue(archived.stream().allMatch(n -> n.matches("\\d{8}-\\d{6}_(userimport|userdelete)(-\\d+)?\\.csv")), archived.toString());
        assertEquals("Three", sync.scalar("SELECT lastname FROM mdl_user WHERE username = 'bob'"));
        assertTrue(names(inbox).isEmpty(), names(inbox).toString());
    }

    @Test
    void filesThatCannotBeProcessedGoToFailedWithTheReason() throws Exception {
        Path inbox = tmp.resolve("inbox");
        dropInto(inbox, "unknown-export.csv", "a;b\n1;2\n");
        dropInto(inbox, "userpictures_2026.zip", "not really a zip");
        dropInto(inbox, "userimport.csv", "username;lastname\nann;One\n");
        MoodleSyncApp app = sync.startPolling();
        awaitIdle(app);
        Thread.sleep(300);
        List<String> failed = names(tmp.resolve("failed"));
        assertEquals(6, failed.size(), failed.toString());
        String badZip = Files.readString(tmp.resolve("failed").resolve(failed.stream().filter(n -> n.endsWith("userpictures_2026.zip.error.txt")).findFirst().orElseThrow()));
        assertTrue(badZip.contains("not a readable zip archive"), badZip);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tmp.resolve("failed").resolve(failed.stream().filter(n -> n.endsWith("_userpictures_2026.zip")).findFirst().orElseThrow()))),
                "feed files may hold passwords: the failed and archive folders keep them owner-only");
        String userError = Files.readString(tmp.resolve("failed").resolve(failed.stream().filter(n -> n.endsWith("userimport.csv.error.txt")).findFirst().orElseThrow()));
        assertTrue(userError.contains("missing required column firstname"), userError);
        String unknownError = Files.readString(tmp.resolve("failed").resolve(failed.stream().filter(n -> n.endsWith("unknown-export.csv.error.txt")).findFirst().orElseThrow()));
        assertTrue(unknownError.contains("no feed takes files with this name"), unknownError);
        assertTrue(names(inbox).isEmpty(), "a failed file is not retried in a loop");
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'ann'"));
    }

    @Test
    void filesLeftInProgressByAKilledRunAreProcessedAgainAtStart() throws Exception {
        Path inProgress = tmp.resolve("inbox").resolve(".inprogress");
        Files.createDirectories(inProgress);
        Files.writeString(inProgress.resolve("userimport.csv"), "username;firstname;lastname\nann;Ann;One\n");
        MoodleSyncApp app = sync.startPolling();
        awaitIdle(app);
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'ann'"));
        assertEquals(1, names(tmp.resolve("archive")).size());
    }

    @Test
    void aFileWaitsInTheInboxWhileTheDatabaseIsDownAndRunsOnceItIsBack() throws Exception {
        Path inbox = tmp.resolve("inbox");
        sync.set("moodle.db.url", "jdbc:postgresql://127.0.0.1:1/nowhere");
        try (org.moodlesync.support.LogCapture log = new org.moodlesync.support.LogCapture(java.util.Map.of())) {
            sync.startPolling();
            dropInto(inbox, "userimport.csv", "username;firstname;lastname\nann;Ann;One\n");
            org.moodlesync.support.Inboxes.await("an attempt while the database is down", 60_000,
                    () -> log.text().contains("userimport.csv waits in the inbox until the Moodle database answers again"));
            org.moodlesync.support.Inboxes.await("the file back in the inbox", 30_000, () -> names(inbox).equals(List.of("userimport.csv")));
            assertEquals(List.of(), names(tmp.resolve("failed")), "nothing goes to the failed folder for a database that is down");
        }
        sync.set("moodle.db.url", sync.dbUrl);
        MoodleSyncApp app = sync.startPolling();
        awaitIdle(app);
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'ann'"), "the file ran once the database answered");
        assertEquals(1, names(tmp.resolve("archive")).size());
    }

    @Test
    void dryRunValidatesAndReportsButWritesNothing() throws Exception {
        String before = sync.scalar("SELECT count(*) || '/' || (SELECT count(*) FROM mdl_context) FROM mdl_user");
        RunSummary s = sync.dryRun("users", "userimport.csv", "username;firstname;lastname;email\nann;Ann;One;ann@example.org\nbad;Bad;Mail;nope\n");
        assertTrue(s.dryRun());
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(1, s.failed());
        assertEquals(before, sync.scalar("SELECT count(*) || '/' || (SELECT count(*) FROM mdl_context) FROM mdl_user"));
        assertTrue(Files.readString(s.reportCsv()).contains("DRY RUN"));
        assertTrue(Files.readString(s.reportHtml()).contains("DRY RUN"));
    }

    @Test
    void aFixedTrybackFileFeedsAgainAsItIs() throws Exception {
        byte[] original = ("\uFEFFusername,firstname,lastname,email\r\n"
                + "ann,Ann,One,ann@example.org\r\n"
                + "bob,\"Bob, \"\"the builder\"\"\",Two,bob(at)example.org\r\n"
                + "cat,\"Multi\r\nline\",Three,cat@\r\n").getBytes(StandardCharsets.UTF_8);
        Path file = sync.dir.resolve("userimport.csv");
        Files.write(file, original);
        RunSummary first = sync.app().process("users", file, false);
        assertEquals(1, first.count(OutcomeType.CREATED));
        assertEquals(2, first.failed());
        byte[] tryback = Files.readAllBytes(first.tryback());
        String expected = "\uFEFFusername,firstname,lastname,email\r\n"
                + "bob,\"Bob, \"\"the builder\"\"\",Two,bob(at)example.org\r\n"
                + "cat,\"Multi\r\nline\",Three,cat@\r\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), tryback, "failed lines byte for byte under the original header");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.tryback())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.reportCsv())));
        String report = Files.readString(first.reportCsv());
        assertTrue(report.contains("\n3,failed,") && report.contains("\n4,failed,"), "physical line numbers: " + report);

        // the operator fixes the two addresses in the tryback and drops it in the inbox as it is
        String fixed = new String(tryback, StandardCharsets.UTF_8).replace("bob(at)example.org", "bob@example.org").replace("cat@\r", "cat@example.org\r");
        dropInto(tmp.resolve("inbox"), first.tryback().getFileName().toString(), fixed);
        MoodleSyncApp app = sync.startPolling();
        awaitIdle(app);
        RunSummary second = app.summaries().get(0);
        assertEquals("users", second.feed(), "a tryback file is recognised by its name");
        assertEquals(2, second.count(OutcomeType.CREATED), second.oneLine());
        assertEquals("Bob, \"the builder\"", sync.scalar("SELECT firstname FROM mdl_user WHERE username = 'bob'"));
        assertEquals("Multi\r\nline", sync.scalar("SELECT firstname FROM mdl_user WHERE username = 'cat'"));
        assertNull(second.tryback());
    }

    @Test
    void blankCommentAndSeparatorOnlyLinesAreSkippedAndLinesStartingWithASpaceOrDashAreData() throws Exception {
        RunSummary s = sync.feed("users", "userimport.csv", "# nightly export\nusername;firstname;lastname\n\nann;Ann;One\n;;\n# end of block\n-dash;Dash;Two\n  spaced;Space;Three\n");
        assertEquals(4, s.count(OutcomeType.SKIPPED), "two comments, a blank line and a line of separators: " + s.oneLine());
        // tool_sync silently dropped lines starting with '-' or a space; here they are data (and "-dash" is a valid username)
        assertEquals(3, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("Three", sync.scalar("SELECT lastname FROM mdl_user WHERE username = 'spaced'"));
    }

    @Test
    void isoLatin1FilesAreReadWhenConfigured() throws Exception {
        sync.set("sync.encoding", "ISO-8859-1");
        Path file = sync.write("userimport.csv", "username;firstname;lastname\nzoe;Zoé;Müller\n", StandardCharsets.ISO_8859_1);
        RunSummary s = sync.app().process("users", file, false);
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("Zoé", sync.scalar("SELECT firstname FROM mdl_user WHERE username = 'zoe'"));
        assertEquals("Müller", sync.scalar("SELECT lastname FROM mdl_user WHERE username = 'zoe'"));
    }

    @Test
    void latin1BytesInAUtf8FileFailThatLineWithAHint() throws Exception {
        Path file = sync.write("userimport.csv", "username;firstname;lastname\nann;Ann;One\nzoe;Zoé;Müller\n", StandardCharsets.ISO_8859_1);
        RunSummary s = sync.app().process("users", file, false);
        assertEquals(1, s.count(OutcomeType.CREATED));
        assertEquals(1, s.failed());
        assertTrue(Files.readString(s.reportCsv()).contains("ISO-8859-1"));
        assertArrayEquals("username;firstname;lastname\nzoe;Zoé;Müller\n".getBytes(StandardCharsets.ISO_8859_1), Files.readAllBytes(s.tryback()),
                "the tryback keeps the Latin-1 bytes");
    }

    @Test
    void anIntegratorsExportWithItsOwnColumnNamesFeedsTheUsersFeed() throws Exception {
        sync.set("feeds.hr-staff.file-pattern", "hr_staff.*\\.csv");
        dropInto(tmp.resolve("inbox"), "hr_staff_2026.csv", "emp_no,login,given_name,family_name,mail,service\nE900,pmercier,Pauline,Mercier,pauline@example.org,Library\nE901,bad name,Q,R,q@example.org,Library\n");
        MoodleSyncApp app = sync.startPolling(SyncFixture.projectHome().resolve("examples/custom-feed"));
        awaitIdle(app);
        RunSummary s = app.summaries().get(0);
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("E900", sync.scalar("SELECT idnumber FROM mdl_user WHERE username = 'pmercier'"));
        assertEquals("Library", sync.scalar("SELECT department FROM mdl_user WHERE username = 'pmercier'"));
        assertTrue(Files.readString(s.tryback()).startsWith("emp_no,login,given_name"), "the tryback keeps the export's own header");
    }

    @Test
    void anUnexpectedErrorInAChunkStillReportsEveryLine() throws Exception {
        dropInto(tmp.resolve("inbox"), "userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
        Path file = sync.write("userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
        Files.delete(tmp.resolve("inbox/userimport.csv"));
        MoodleSyncApp app = MoodleSyncApp.start(sync.config(), false, Path.of(getClass().getResource("/test-routes").toURI()));
        try {
            RunSummary s = app.process("broken-users", file, false);
            assertEquals(2, s.failed(), s.oneLine());
            assertNotNull(s.tryback());
            assertEquals(3, Files.readAllLines(s.tryback()).size());
            assertTrue(Files.readString(s.reportCsv()).contains("simulated bug in a processor"));
        } finally {
            app.close();
        }
        assertFalse(Files.exists(tmp.resolve("inbox/userimport.csv")));
    }
}
