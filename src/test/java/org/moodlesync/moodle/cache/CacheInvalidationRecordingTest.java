package org.moodlesync.moodle.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.moodle.CategoryTree;
import org.moodlesync.moodle.MoodleCategories;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.StandInCommand;
import org.moodlesync.support.SyncFixture;

/**
 * What each feed operation records for Moodle's caches, against what Moodle's own APIs
 * invalidate (docs/moodle-caches.md), seen as the JSON the command strategy receives once per
 * file, through the real routes.
 */
class CacheInvalidationRecordingTest {
    @TempDir
    Path tmp;
    SyncFixture sync;
    StandInCommand command;
    long phy;
    long ann;

    @BeforeEach
    void start() throws Exception {
        command = StandInCommand.succeeding(tmp.resolve("command"));
        sync = new SyncFixture(tmp);
        sync.set(ConfigKeys.CACHE_INVALIDATION, "command").set(ConfigKeys.CACHE_COMMAND, command.commandLine());
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber;category\nPHY;Physics;C-PHY;Science\nCHEM;Chemistry;C-CHEM;Science\n");
        sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;enrol\nstudent;C-PHY;ann;manual\n");
        phy = sync.count("SELECT id FROM mdl_course WHERE shortname = 'PHY'");
        ann = sync.count("SELECT id FROM mdl_user WHERE username = 'ann'");
    }

    @AfterEach
    void stop() throws Exception {
        sync.checkAndClose();
    }

    private static String json(String events, String definitions, String purge, String courses) {
        return "{\"events\":[" + events + "],\"definitions\":{" + definitions + "},\"purge\":[" + purge + "],\"courses\":[" + courses + "]}";
    }

    private int calls() throws Exception {
        return command.calls().size();
    }

    @Test
    void coursesCreatedWithTheirCategoriesPurgeTheCategoryTreeAndCourseListings() throws Exception {
        int before = calls();
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nBIO;Biology;Life/Cells\n");
        assertEquals(before + 1, calls(), "once per file");
        assertEquals(json("\"changesincoursecat\",\"changesincourse\"", "", "", ""), command.lastCall());
        assertEquals(List.of("--moodle=/var/www/moodle two words"), command.arguments().subList(0, 1), "the configured arguments, quotes honoured");
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("Moodle caches: invalidated by command: events changesincoursecat, changesincourse")), s.notes().toString());
    }

    @Test
    void courseUpdatesBumpCacherevAndMovesChangeTheCategories() throws Exception {
        sync.set(ConfigKeys.COURSES_FORCE_UPDATE, "true");
        long rev = sync.count("SELECT cacherev FROM mdl_course WHERE id = ?", phy);
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname\nPHY;Physics for all\n");
        assertEquals(json("\"changesincourse\"", "", "", Long.toString(phy)), command.lastCall());
        assertTrue(sync.count("SELECT cacherev FROM mdl_course WHERE id = ?", phy) > rev, "rebuild_course_cache(): cacherev bumped in the same transaction");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nPHY;Physics for all;Arts\n");
        assertEquals(json("\"changesincoursecat\",\"changesincourse\"", "", "", Long.toString(phy)), command.lastCall());
    }

    @Test
    void deletedCoursesTakeTheirGroupsRolesAndEnrolmentsOutOfTheCaches() throws Exception {
        long chem = sync.count("SELECT id FROM mdl_course WHERE shortname = 'CHEM'");
        sync.feed("courses-delete", "deletecourses.csv", "CHEM\n");
        assertEquals(json("\"changesincoursecat\",\"changesincourse\",\"changesincategoryenrolment\"",
                "\"core/groupdata\":[" + chem + "],\"core/coursecontacts\":[" + chem + "]", "\"core/user_group_groupings\"", ""), command.lastCall());
    }

    @Test
    void enrolmentsInvalidateCourseContactsAndUnenrolmentsTheUsersGroups() throws Exception {
        sync.feed("enrolments", "enrols.csv", "rolename;cid;uid\nteacher;C-PHY;bob\n");
        assertEquals(json("\"changesincategoryenrolment\"", "\"core/coursecontacts\":[" + phy + "]", "", ""), command.lastCall());
        sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol\ndel;student;C-PHY;ann;manual\n");
        assertEquals(json("\"changesincategoryenrolment\"", "\"core/user_group_groupings\":[" + ann + "],\"core/coursecontacts\":[" + phy + "]", "", ""),
                command.lastCall());
    }

    @Test
    void groupsInvalidateTheCourseGroupDataAndGroupingsEveryUsersGroupings() throws Exception {
        sync.feed("groups", "groups.csv", "courseid;name;idnumber\nC-PHY;Lab A;LA\n");
        assertEquals(json("", "\"core/groupdata\":[" + phy + "]", "", ""), command.lastCall());
        sync.feed("groups", "groups.csv", "type;courseid;name;idnumber;grouping\ngrouping;C-PHY;Labs;LABS;\ngroup;C-PHY;Lab A;LA;LABS\n");
        assertEquals(json("", "\"core/groupdata\":[" + phy + "]", "\"core/user_group_groupings\"", ""), command.lastCall(),
                "groups_assign_grouping() purges the users' groupings whole");
    }

    @Test
    void membershipsInvalidateTheMembersGroups() throws Exception {
        sync.feed("groups", "groups.csv", "courseid;name;idnumber\nC-PHY;Lab A;LA\n");
        sync.feed("group-members", "groupmembers.csv", "courseid;groupid;userid\nC-PHY;LA;ann\n");
        assertEquals(json("", "\"core/user_group_groupings\":[" + ann + "]", "", ""), command.lastCall());
    }

    @Test
    void courseResetInvalidatesRolesEnrolmentsAndGroups() throws Exception {
        sync.feed("groups", "groups.csv", "courseid;name;idnumber\nC-PHY;Lab A;LA\n");
        sync.feed("courses-reset", "resetcourses.csv", "shortname;roles;groups\nPHY;student;all\n");
        assertEquals(json("\"changesincategoryenrolment\"", "\"core/groupdata\":[" + phy + "],\"core/coursecontacts\":[" + phy + "]",
                "\"core/user_group_groupings\"", ""), command.lastCall());
    }

    @Test
    void refusedLinesAndUnchangedFilesInvalidateNothing() throws Exception {
        int before = calls();
        // the group is written, then the line is refused (no such grouping): its transaction never happened
        RunSummary refused = sync.feed("groups", "groups.csv", "courseid;name;idnumber;grouping\nC-PHY;Lab D;LD;NOGROUPING\n");
        assertEquals(1, refused.failed(), refused.oneLine());
        RunSummary unchanged = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber;category\nPHY;Physics;C-PHY;Science\n");
        assertEquals(before, calls(), "nothing committed that Moodle caches: " + unchanged.notes() + refused.notes());
        assertTrue(unchanged.notes().stream().noneMatch(n -> n.contains("Moodle caches")), unchanged.notes().toString());
    }

    @Test
    void aChunkRedoneLineByLineKeepsTheInvalidationsOfTheLinesApplied() throws Exception {
        sync.set(ConfigKeys.CHUNK_SIZE, "10");
        RunSummary s = sync.feed("groups", "groups.csv", "courseid;name;idnumber;grouping\nC-CHEM;Lab C;LC;\nC-PHY;Lab D;LD;NOGROUPING\n");
        assertEquals(1, s.failed(), s.oneLine());
        long chem = sync.count("SELECT id FROM mdl_course WHERE shortname = 'CHEM'");
        assertEquals(json("", "\"core/groupdata\":[" + chem + "]", "", ""), command.lastCall(), "only the line that was applied");
    }

    @Test
    void aDryRunCarriesOutNothingAndSaysWhatItWouldInvalidate() throws Exception {
        int before = calls();
        RunSummary s = sync.dryRun("groups", "groups.csv", "courseid;name;idnumber\nC-PHY;Lab A;LA\n");
        assertEquals(before, calls());
        assertTrue(s.notes().contains("Moodle caches: would invalidate (command): core/groupdata (1 key)"), s.notes().toString());
    }

    @Test
    void removedCategoriesPurgeTheTreeAndTheirRoles() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nART;Art;Arts/Old\n");
        sync.feed("courses-delete", "deletecourses.csv", "ART\n");
        MoodleDatabase db = sync.app().database();
        CacheInvalidations recorded = new CacheInvalidations();
        MoodleCategories categories = new MoodleCategories(db);
        db.inTransaction(recorded, false, c -> {
            CategoryTree tree = categories.load(c);
            return categories.deleteEmpty(c, tree, null, false);
        });
        assertEquals(json("\"changesincoursecat\",\"changesincategoryenrolment\"", "", "\"core/coursecontacts\"", ""), recorded.snapshot().toJson());
    }
}
