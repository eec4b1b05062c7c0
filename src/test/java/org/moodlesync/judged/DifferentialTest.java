package org.moodlesync.judged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;
import org.moodlesync.support.TestMoodle;

/**
 * The same school loaded twice into copies of a real Moodle 5.0: copy A with Moodle's own tools (categories
 * through core_course_category::create, then admin/tool/uploadcourse and admin/tool/uploaduser CLIs), copy B
 * with moodle-sync's courses and users feeds. What Moodle's APIs and tables then hold must be the same, field
 * by field, but for the differences {@link SiteComparison#RULES} names and justifies.
 *
 * <p>Run twice: on a fresh site's defaults, and on a site whose user, course, forum and enrolment defaults were
 * changed first, so that matching a fresh install's values by luck cannot pass.
 */
class DifferentialTest {
    @TempDir
    Path dir;

    @Test
    void stockDefaults() throws Exception {
        compare("stock defaults", List.of());
    }

    @Test
    void changedDefaults() throws Exception {
        compare("changed defaults", List.of(
                "defaultpreference_maildisplay=0", "defaultpreference_mailformat=0", "defaultpreference_maildigest=1",
                "defaultpreference_autosubscribe=0", "defaultpreference_trackforums=1", "country=BE", "defaultcity=Liège",
                "forum_announcementsubscription=3", "forum_announcementmaxattachments=4",
                "moodlecourse/format=weeks", "moodlecourse/numsections=6", "moodlecourse/newsitems=3", "moodlecourse/hiddensections=0",
                "moodlecourse/coursedisplay=1", "moodlecourse/showgrades=0", "moodlecourse/showreports=1", "moodlecourse/groupmode=1",
                "moodlecourse/groupmodeforce=1", "moodlecourse/showactivitydates=0", "moodlecourse/showcompletionconditions=0",
                "moodlecourse/courseduration=15552000", "moodlecourse/maxbytes=2097152",
                "enrol_manual/expirynotify=1", "enrol_manual/expirythreshold=172800", "enrol_self/defaultenrol=0",
                "enrol_guest/status=0"));
    }

    private void compare(String title, List<String> settings) throws Exception {
        try (TestMoodle moodle = TestMoodle.require()) {
            DifferentialDataset data = new DifferentialDataset();
            String suffix = settings.isEmpty() ? "stock" : "changed";
            String a = moodle.freshCopy("diff_" + suffix + "_a");
            String b = moodle.freshCopy("diff_" + suffix + "_b");
            for (String db : List.of(a, b)) {
                if (!settings.isEmpty()) {
                    List<String> args = new ArrayList<>(settings);
                    moodle.judge(db, "set-config.php", args.toArray(String[]::new));
                }
            }
            loadWithMoodlesTools(moodle, a, data);
            loadWithMoodleSync(b, data);

            ZoneId zone;
            try (SyncFixture probe = new SyncFixture(dir.resolve("probe"), TestMoodle.jdbcUrl(a), TestMoodle.USER, TestMoodle.PASSWORD)) {
                zone = ZoneId.of(probe.scalar("SELECT value FROM mdl_config WHERE name = 'timezone'"));
            }
            long today = LocalDate.now(zone).atStartOfDay(zone).toEpochSecond();
            SiteComparison comparison = new SiteComparison(zone.getId(), today, data.undatedEnrolments, data.bareCourses);
            comparison.siteFormat = settings.contains("moodlecourse/format=weeks") ? "weeks" : "topics";
            JsonNode dumpA = moodle.judge(a, "dump.php");
            JsonNode dumpB = moodle.judge(b, "dump.php");
            comparison.compareDumps(dumpA, dumpB);
            for (String script : List.of("users.php", "courses.php", "enrolments.php", "cohorts.php", "tree.php")) {
                comparison.compareApi(script, moodle.judge(a, script), moodle.judge(b, script));
            }
            String summary = comparison.summary(title);
            System.out.println(summary);
            Files.writeString(SyncFixture.projectHome().resolve("target/differential-" + suffix + ".txt"), summary, StandardCharsets.UTF_8);

            // the comparison compared something: both sites hold the whole dataset
            assertEquals(DifferentialDataset.USERS + 2, dumpB.path("tables").path("user").size(), "users in B");
            assertEquals(data.enrolments(), dumpB.path("tables").path("user_enrolments").size(), "enrolments in B");
            assertEquals(DifferentialDataset.FULL_COURSES + DifferentialDataset.BARE_COURSES + 1, dumpB.path("tables").path("course").size());
            moodle.assertCheckPasses(b, title + ", moodle-sync's site");
            JsonNode login = moodle.judge(b, "login.php", "--username=" + data.usernames.get(7), "--password=" + DifferentialDataset.PASSWORD);
            assertTrue(login.path("ok").asBoolean(), "a user moodle-sync created logs in through Moodle: " + login);
            assertEquals(List.of(), comparison.unexplained(), summary);
        }
    }

    private void loadWithMoodlesTools(TestMoodle moodle, String db, DifferentialDataset data) throws Exception {
        Path files = Files.createDirectories(dir.resolve("moodle-files"));
        Path categories = Files.writeString(files.resolve("categories.txt"), String.join("\n", data.categoryPaths) + "\n");
        moodle.judge(db, "create-categories.php", "--file=" + categories);
        for (StringBuilder courses : List.of(data.moodleCoursesFull, data.moodleCoursesBare)) {
            Path f = Files.writeString(files.resolve("courses.csv"), courses);
            String out = moodle.moodleCli(db, "admin/tool/uploadcourse/cli/uploadcourse.php", "--mode=createnew", "--updatemode=dataonly",
                    "--file=" + f, "--delimiter=comma");
            assertTrue(out.contains("Courses errors: 0"), out);
        }
        for (StringBuilder users : List.of(data.moodleUsersFull, data.moodleUsersBare)) {
            Path f = Files.writeString(files.resolve("users.csv"), users);
            String out = moodle.moodleCli(db, "admin/tool/uploaduser/cli/uploaduser.php", "--file=" + f, "--uutype=0", "--uupasswordnew=0");
            assertTrue(out.contains("Errors: 0"), out);
        }
    }

    private void loadWithMoodleSync(String db, DifferentialDataset data) throws Exception {
        try (SyncFixture sync = new SyncFixture(dir.resolve("sync"), TestMoodle.jdbcUrl(db), TestMoodle.USER, TestMoodle.PASSWORD)) {
            for (StringBuilder courses : List.of(data.syncCoursesFull, data.syncCoursesBare)) {
                RunSummary s = sync.feed("courses", "uploadcourses.csv", courses.toString());
                assertEquals(0, s.failed(), s.oneLine());
            }
            for (StringBuilder users : List.of(data.syncUsersFull, data.syncUsersBare)) {
                RunSummary s = sync.feed("users", "userimport.csv", users.toString());
                assertEquals(0, s.failed(), s.oneLine());
            }
        }
    }
}
