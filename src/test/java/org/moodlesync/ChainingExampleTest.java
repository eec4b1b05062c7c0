package org.moodlesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.moodlesync.support.Inboxes.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.cli.MoodleSyncApp;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/** examples/chaining/hr-nightly.yaml as it is: an integrator's flow feeds users, reads the reply, then feeds the enrolments. */
class ChainingExampleTest {
    @TempDir
    Path tmp;

    @Test
    void theHrChainFeedsUsersThenTheirEnrolments() throws Exception {
        Path examples = SyncFixture.projectHome().resolve("examples/chaining");
        Path drop = tmp.resolve("hr-drop");
        try (SyncFixture sync = new SyncFixture(tmp)) {
            sync.set("hr.drop", drop.toString());
            sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nPHYS101;Physics;PHYS101\n");
            MoodleSyncApp app = sync.startPolling(examples);
            Files.createDirectories(drop);
            Files.copy(examples.resolve("hr_teaching.csv"), drop.resolve("hr_teaching.csv"));
            Files.copy(examples.resolve("hr_people.csv"), drop.resolve("hr_people.csv"));
            await("the enrolments of the chain", 30_000, () -> app.summaries().stream().anyMatch(s -> s.feed().equals("enrolments")));
            assertEquals(List.of("users", "enrolments"), app.summaries().stream().map(RunSummary::feed).toList());
            assertEquals(0, app.summaries().stream().mapToLong(RunSummary::failed).sum(), app.summaries().toString());
            assertEquals("HR1001", sync.scalar("SELECT idnumber FROM mdl_user WHERE username = 'jsmith'"));
            assertEquals(2, sync.count("SELECT count(*) FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid JOIN mdl_course c ON c.id = e.courseid"
                    + " WHERE c.shortname = 'PHYS101' AND e.enrol = 'manual'"));
            assertEquals("editingteacher", sync.scalar("SELECT r.shortname FROM mdl_role_assignments ra JOIN mdl_role r ON r.id = ra.roleid"
                    + " JOIN mdl_user u ON u.id = ra.userid WHERE u.username = 'jsmith'"));
            await("the HR files moved to .done", 10_000, () -> !Files.exists(drop.resolve("hr_people.csv")) && !Files.exists(drop.resolve("hr_teaching.csv")));
            sync.assertMoodleConsistent();
        }
    }
}
