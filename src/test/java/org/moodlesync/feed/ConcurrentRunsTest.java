package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.cli.MoodleSyncApp;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/**
 * Two runs of the same file at once, as two processes on one site (two imports, or an import beside a run):
 * the outcomes are those of running them one after the other: no line fails, each line is created by one run
 * and unchanged in the other, and the site holds each entity once.
 */
class ConcurrentRunsTest {
    private static final int USERS = 6_000;

    @TempDir
    Path tmp;
    SyncFixture sync;
    MoodleSyncApp other;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        if (other != null) {
            other.close();
        }
        sync.checkAndClose();
    }

    /** Runs the same content through both apps at the same time; both summaries. */
    private List<RunSummary> twice(String feed, String name, String content) throws Exception {
        if (other == null) {
            other = MoodleSyncApp.start(sync.config(), false);
        }
        Path a = Files.createDirectories(tmp.resolve("a")).resolve(name);
        Path b = Files.createDirectories(tmp.resolve("b")).resolve(name);
        Files.writeString(a, content);
        Files.writeString(b, content);
        MoodleSyncApp one = sync.app();
        CompletableFuture<RunSummary> first = CompletableFuture.supplyAsync(() -> one.process(feed, a, false));
        CompletableFuture<RunSummary> second = CompletableFuture.supplyAsync(() -> other.process(feed, b, false));
        return List.of(first.get(), second.get());
    }

    private static void asIfOneAfterTheOther(List<RunSummary> runs, long lines, OutcomeType applied) {
        for (RunSummary r : runs) {
            assertEquals(0, r.failed(), r.oneLine());
        }
        assertEquals(lines, runs.get(0).count(applied) + runs.get(1).count(applied), "each line applied by one run: " + runs);
        assertEquals(lines, runs.get(0).count(OutcomeType.UNCHANGED) + runs.get(1).count(OutcomeType.UNCHANGED),
                "and unchanged in the other: " + runs);
    }

    @Test
    void usersEnrolmentsGroupsAndCohorts() throws Exception {
        StringBuilder users = new StringBuilder("username;idnumber;firstname;lastname;email\n");
        for (int i = 0; i < USERS; i++) {
            users.append("c").append(i).append(";C").append(i).append(";First;Last;c").append(i).append("@example.edu\n");
        }
        asIfOneAfterTheOther(twice("users", "userimport.csv", users.toString()), USERS, OutcomeType.CREATED);
        assertEquals(USERS, sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'c%'"));

        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nK1;K1;K1\nK2;K2;K2\n");
        StringBuilder enrols = new StringBuilder("cmd;rolename;cid;uid;enrol;gcmd;g1\n");
        for (int i = 0; i < 2_000; i++) {
            enrols.append("add;student;K").append(i % 2 + 1).append(";c").append(i).append(";manual;gaddcreate;G").append(i % 5).append('\n');
        }
        asIfOneAfterTheOther(twice("enrolments", "enrols.csv", enrols.toString()), 2_000, OutcomeType.CREATED);
        assertEquals(2_000, sync.count("SELECT count(*) FROM mdl_user_enrolments"));
        assertEquals(10, sync.count("SELECT count(*) FROM mdl_groups"), "each group created once");

        StringBuilder groups = new StringBuilder("type;courseid;name;idnumber\n");
        for (int i = 0; i < 40; i++) {
            groups.append("group;K1;Atelier ").append(i).append(";AT").append(i).append('\n');
        }
        asIfOneAfterTheOther(twice("groups", "groups.csv", groups.toString()), 40, OutcomeType.CREATED);
        assertEquals(40, sync.count("SELECT count(*) FROM mdl_groups WHERE name LIKE 'Atelier %'"));

        StringBuilder cohorts = new StringBuilder("cmd;cidnumber;cname;userid\n");
        for (int i = 0; i < 1_000; i++) {
            cohorts.append("add;CO").append(i % 10).append(";Cohorte ").append(i % 10).append(";c").append(i).append('\n');
        }
        List<RunSummary> both = twice("cohorts", "cohorts.csv", cohorts.toString());
        both.forEach(r -> assertEquals(0, r.failed(), r.oneLine()));
        assertEquals(10, sync.count("SELECT count(*) FROM mdl_cohort"), "each cohort created once");
        assertEquals(1_000, sync.count("SELECT count(*) FROM mdl_cohort_members"));
    }
}
