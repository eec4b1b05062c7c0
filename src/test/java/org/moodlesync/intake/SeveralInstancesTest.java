package org.moodlesync.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.moodlesync.support.Inboxes.await;
import static org.moodlesync.support.Inboxes.drop;
import static org.moodlesync.support.Inboxes.names;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.cli.MoodleSyncApp;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;
import org.moodlesync.support.TestDatabases;

/**
 * Instances sharing one inbox and one Moodle database: every file is processed exactly once, and
 * the work of an instance killed mid-file is finished by another. Active/passive instances under
 * a file-lock cluster service: only the leader polls.
 */
class SeveralInstancesTest {
    @TempDir
    Path tmp;
    SyncFixture sync;
    Path inbox;
    final List<MoodleSyncApp> others = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp).set(ConfigKeys.INTAKE_SHARED, "true").set(ConfigKeys.INTAKE_CLAIM_MAX_AGE, "4")
                .set(ConfigKeys.INTAKE_CLAIM_KEEP_ALIVE, "1");
        inbox = tmp.resolve("inbox");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            others.forEach(MoodleSyncApp::close);
            sync.assertMoodleConsistent();
        } finally {
            sync.close();
        }
    }

    private MoodleSyncApp another() throws Exception {
        MoodleSyncApp app = MoodleSyncApp.start(sync.config(), true);
        others.add(app);
        return app;
    }

    private static boolean leads(MoodleSyncApp app) throws Exception {
        org.apache.camel.cluster.CamelClusterService service = app.camel().getRegistry().lookupByNameAndType("clusterService",
                org.apache.camel.cluster.CamelClusterService.class);
        return service.getView("moodle-sync-intake").getLocalMember().isLeader();
    }

    private static String users(int file, int count) {
        StringBuilder csv = new StringBuilder("username;firstname;lastname\n");
        for (int i = 0; i < count; i++) {
            csv.append("f").append(file).append("u").append(i).append(";First;Last\n");
        }
        return csv.toString();
    }

    @Test
    void twoInstancesSharingAnInboxProcessEachOfFiftyFilesOnce() throws Exception {
        MoodleSyncApp first = sync.startPolling();
        MoodleSyncApp second = another();
        for (int f = 0; f < 50; f++) {
            drop(inbox, String.format("userimport_%02d.csv", f), users(f, 20));
        }
        await("the fifty files", 120_000, () -> names(tmp.resolve("archive")).size() >= 50 && first.inboxIdle());
        Thread.sleep(1_500); // a second processing would show up here

        List<RunSummary> all = new ArrayList<>(first.summaries());
        all.addAll(second.summaries());
        Map<String, Integer> runsPerFile = new TreeMap<>();
        all.forEach(s -> runsPerFile.merge(s.source(), 1, Integer::sum));
        assertEquals(50, runsPerFile.size(), runsPerFile.toString());
        assertTrue(runsPerFile.values().stream().allMatch(n -> n == 1), "each file processed exactly once: " + runsPerFile);
        assertEquals(50, names(tmp.resolve("archive")).size());
        assertEquals(1000, sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'f%u%'"));
        assertEquals(0, all.stream().mapToLong(RunSummary::failed).sum());
        assertEquals(0, all.stream().mapToLong(s -> s.count(org.moodlesync.pipeline.OutcomeType.UNCHANGED)).sum(), "no line was seen twice");
        assertTrue(!first.summaries().isEmpty() && !second.summaries().isEmpty(),
                "both instances took files: " + first.summaries().size() + " and " + second.summaries().size());
        assertTrue(sync.count("SELECT count(*) FROM " + FileClaims.TABLE) > 0, "the claims were taken in the database");
        await("the claims dropped once the files are archived", 15_000,
                () -> sync.count("SELECT count(*) FROM " + FileClaims.TABLE + " WHERE messageId LIKE 'userimport%'") == 0);
    }

    @Test
    void anotherInstanceDoesNotRunEnrolmentsWhileTheUsersFileIsInProgress() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nC1;Course 1;C1\n");
        MoodleSyncApp first = sync.startPolling();
        MoodleSyncApp second = another();
        StringBuilder enrols = new StringBuilder("cmd;rolename;cid;uid;enrol\n");
        for (int i = 0; i < 200; i++) {
            enrols.append("add;student;C1;f7u").append(i).append(";manual\n");
        }
        drop(inbox, "userimport.csv", users(7, 20_000));
        Thread.sleep(400); // one instance has taken the users file
        drop(inbox, "enrols.csv", enrols.toString());
        await("both files", 120_000, () -> first.summaries().size() + second.summaries().size() == 2 && first.inboxIdle());
        List<RunSummary> all = new ArrayList<>(first.summaries());
        all.addAll(second.summaries());
        RunSummary usersRun = all.stream().filter(r -> r.feed().equals("users")).findFirst().orElseThrow();
        RunSummary enrolsRun = all.stream().filter(r -> r.feed().equals("enrolments")).findFirst().orElseThrow();
        assertTrue(!enrolsRun.started().isBefore(usersRun.started().plus(usersRun.elapsed())),
                "the enrolments started after the users file ended: " + usersRun.oneLine() + " / " + enrolsRun.started());
        assertEquals(0, enrolsRun.failed(), enrolsRun.oneLine());
        assertEquals(200, sync.count("SELECT count(*) FROM mdl_user_enrolments"));
    }

    @Test
    void whenAnInstanceIsKilledMidFileAnotherFinishesTheWork() throws Exception {
        Path big = tmp.resolve("staging").resolve("userimport.csv");
        Files.createDirectories(big.getParent());
        int lines = 60_000;
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            w.write("username;idnumber;firstname;lastname;email\n");
            for (int i = 0; i < lines; i++) {
                w.write("k" + i + ";K" + i + ";First;Last;k" + i + "@example.org\n");
            }
        }
        // the instance to kill runs in its own JVM, as moodle-sync run does
        Path props = tmp.resolve("killed.properties");
        StringBuilder p = new StringBuilder();
        sync.config().asMap().forEach((k, v) -> {
            if (k.startsWith("sync.") || k.startsWith("moodle.db.")) {
                p.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n');
            }
        });
        Files.writeString(props, p.toString());
        Process killed = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-D" + ConfigKeys.HOME + "=" + SyncFixture.projectHome(),
                "org.moodlesync.cli.MoodleSyncCli", "run", "--config", props.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        try {
            Files.createDirectories(inbox);
            Files.move(big, inbox.resolve("userimport.csv"));
            await("the other instance writing users", 60_000, () -> sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'k%'") > 0);
            MoodleSyncApp survivor = sync.startPolling();
            killed.destroyForcibly();
            assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
            long atKill = sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'k%'");
            assertTrue(atKill < lines, "killed in the middle of the file: " + atKill + " users written");
            assertEquals(List.of("userimport.csv"), names(inbox.resolve(".inprogress")), "the killed instance's file is left in .inprogress");

            await("the survivor finishing the file", 120_000, () -> survivor.summaries().size() == 1 && survivor.inboxIdle());
            RunSummary finished = survivor.summaries().get(0);
            assertEquals(0, finished.failed(), finished.oneLine());
            assertEquals(lines, finished.lines());
            assertEquals(lines, sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'k%'"));
            assertEquals(1, names(tmp.resolve("archive")).size());
        } finally {
            killed.destroyForcibly();
        }
    }

    @Test
    void activePassiveInstancesPollOnlyOnTheLeader() throws Exception {
        sync.set(ConfigKeys.INTAKE_SHARED, "false").set(ConfigKeys.CLUSTER, "file").set(ConfigKeys.CLUSTER_FILE_ROOT, tmp.resolve("cluster").toString());
        MoodleSyncApp leader = sync.startPolling();
        assertTrue(leader.camel().getRoute("intake").getEndpoint().getEndpointUri().startsWith("master:"));
        await("the first instance leading", 30_000, () -> leads(leader));
        MoodleSyncApp standby = another();
        assertTrue(!leads(standby), "one leader at a time");
        drop(inbox, "userimport.csv", users(1, 5));
        await("the file", 30_000, () -> leader.summaries().size() == 1 && leader.inboxIdle());
        assertEquals(5, sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'f1u%'"));
        assertEquals(0, standby.summaries().size(), "the standby does not poll");
        try (Stream<Path> lockFiles = Files.list(tmp.resolve("cluster"))) {
            assertTrue(lockFiles.findAny().isPresent(), "the leader holds its lock in sync.cluster.file-root");
        }
        sync.close(); // the leader stops: the standby takes over
        drop(inbox, "userimport_2.csv", users(2, 5));
        await("the standby taking over", 60_000, () -> standby.summaries().size() == 1);
        assertEquals(5, sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'f2u%'"));
    }
}
