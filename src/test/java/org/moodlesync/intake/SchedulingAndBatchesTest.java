package org.moodlesync.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.moodlesync.support.Inboxes.await;
import static org.moodlesync.support.Inboxes.drop;
import static org.moodlesync.support.Inboxes.names;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.cli.MoodleSyncApp;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/** Feeds on a quartz schedule, done-file batches and the dependency order of files that wait together, through the real intake route. */
class SchedulingAndBatchesTest {
    private static final String USERS = "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n";
    private static final String ENROLS = "cmd;rolename;cid;uid;enrol\nadd;student;C1;ann;manual\nadd;student;C1;bob;manual\n";

    @TempDir
    Path tmp;
    SyncFixture sync;
    Path inbox;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
        inbox = tmp.resolve("inbox");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nC1;Course 1;C1\n");
    }

    @AfterEach
    void stop() throws Exception {
        sync.checkAndClose();
    }

    private List<String> feedsRun(MoodleSyncApp app) {
        return app.summaries().stream().filter(s -> !s.feed().equals("courses")).map(RunSummary::feed).toList();
    }

    @Test
    void aScheduledFeedWaitsForItsCronAndTheFeedsThatDependOnItWaitBehindIt() throws Exception {
        sync.set("feeds.users.cron", "0 0 3 1 1 ? 2099");
        MoodleSyncApp app = sync.startPolling();
        drop(inbox, "userimport.csv", USERS);
        drop(inbox, "enrols.csv", ENROLS);
        drop(inbox, "uploadcourses.csv", "shortname;fullname;idnumber\nC2;Course 2;C2\n");
        await("the courses file", 10_000, () -> !app.summaries().isEmpty());
        Thread.sleep(1_000); // five more polls
        assertEquals(List.of("courses"), app.summaries().stream().map(RunSummary::feed).toList(),
                "the courses file runs as it arrives; users wait for their schedule, enrolments behind them");
        assertEquals(List.of("enrols.csv", "userimport.csv"), names(inbox));
        assertTrue(app.camel().getRoute("schedule-users") != null, "the schedule is a route of its own, made from routes/schedules.yaml");

        sync.set("feeds.users.cron", "0/1 * * * * ?");
        MoodleSyncApp ticking = sync.startPolling();
        await("the scheduled users file, then the enrolments", 15_000, () -> feedsRun(ticking).size() == 2 && ticking.inboxIdle());
        assertEquals(List.of("users", "enrolments"), feedsRun(ticking));
        assertEquals(2, sync.count("SELECT count(*) FROM mdl_user_enrolments"));
    }

    @Test
    void aDoneFileReleasesTheBatchWhichRunsInDependencyOrder() throws Exception {
        sync.set("feeds.batch.done-file", "batch.done");
        MoodleSyncApp app = sync.startPolling();
        // the sender uploads the enrolments first, the users after them
        drop(inbox, "enrols.csv", ENROLS);
        Thread.sleep(600);
        drop(inbox, "userimport.csv", USERS);
        Thread.sleep(600);
        assertEquals(List.of(), feedsRun(app), "nothing runs before the done-file");
        drop(inbox, "batch.done", "");
        await("the batch", 15_000, () -> feedsRun(app).size() == 2 && app.inboxIdle());
        assertEquals(List.of("users", "enrolments"), feedsRun(app), "the users file runs before the enrolments that arrived with it");
        assertEquals(0, app.summaries().stream().mapToLong(RunSummary::failed).sum());
        assertEquals(2, sync.count("SELECT count(*) FROM mdl_user_enrolments"), app.summaries().toString());
        assertEquals(List.of(), names(inbox), "the done-file is consumed with its batch");

        drop(inbox, "groups.csv", "courseid;name\nC1;Group A\n");
        Thread.sleep(1_000);
        assertEquals(List.of("groups.csv"), names(inbox), "a later file waits for the next done-file");

        drop(inbox, "batch.done", "");
        await("the second batch", 10_000, () -> feedsRun(app).size() == 3 && app.inboxIdle());
        drop(inbox, "batch.done", "");
        await("a done-file dropped alone to go", 10_000, () -> names(inbox).isEmpty());
        drop(inbox, "groups.csv", "courseid;name\nC1;Group B\n");
        Thread.sleep(1_000);
        assertEquals(List.of("groups.csv"), names(inbox), "an empty batch releases nothing that comes after it");
    }

    @Test
    void filesWaitingTogetherRunInDependencyOrderWhateverTheirArrival() throws Exception {
        drop(inbox, "groupmembers.csv", "groupid;userid;courseid\nGA;ann;C1\n");
        drop(inbox, "enrols.csv", ENROLS);
        drop(inbox, "groups.csv", "courseid;name;idnumber\nC1;Group A;GA\n");
        drop(inbox, "userimport.csv", USERS);
        MoodleSyncApp app = sync.startPolling();
        await("the four files", 20_000, () -> feedsRun(app).size() == 4 && app.inboxIdle());
        assertEquals(List.of("users", "enrolments", "groups", "group-members"), feedsRun(app));
        RunSummary members = app.summaries().get(app.summaries().size() - 1);
        assertEquals(0, members.failed(), sync.read(members.reportCsv()));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_groups_members"));
    }
}
