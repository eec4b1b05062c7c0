package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/** cohorts.csv through the real routes. */
class CohortsFeedTest {
    @TempDir
    Path tmp;
    SyncFixture sync;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
    }

    @AfterEach
    void stop() throws Exception {
        sync.checkAndClose();
    }

    private List<String> members(String idnumber) throws Exception {
        return sync.rows("SELECT u.username FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid JOIN mdl_user u ON u.id = m.userid"
                + " WHERE c.idnumber = ? ORDER BY 1", idnumber).stream().map(r -> r.get("username")).toList();
    }

    @Test
    void addCreatesUpdatesAndAddsMembers() throws Exception {
        RunSummary s = sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber;cname;cdescription;userid\nadd;C1;Class 1;First class;ann\n;C1;;;bob\nadd;C2;Class 2;;\n");
        assertEquals(2, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(1, s.count(OutcomeType.UPDATED));
        assertEquals(List.of("ann", "bob"), members("C1"));
        assertEquals("1", sync.scalar("SELECT contextid FROM mdl_cohort WHERE idnumber = 'C1'"));
        assertEquals("First class", sync.scalar("SELECT description FROM mdl_cohort WHERE idnumber = 'C1'"), "an empty cell of a later line is not read as a change here");
        RunSummary rename = sync.feed("cohorts", "cohorts.csv", "cidnumber;cname\nC1;Class One\n");
        assertEquals(1, rename.count(OutcomeType.UPDATED), "the name is read from cname (tool_sync read the wrong columns: bug 43)");
        assertEquals("Class One", sync.scalar("SELECT name FROM mdl_cohort WHERE idnumber = 'C1'"));
        RunSummary again = sync.feed("cohorts", "cohorts.csv", "cidnumber;cname;userid\nC1;Class One;ann\n");
        assertEquals(1, again.count(OutcomeType.UNCHANGED), again.oneLine());
    }

    @Test
    void delWithAnUnknownUserDeletesNothingAndDelWithoutUserDeletesTheCohort() throws Exception {
        sync.feed("cohorts", "cohorts.csv", "cidnumber;cname;userid\nC1;Class 1;ann\nC1;Class 1;bob\n");
        RunSummary unknown = sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber;userid\ndel;C1;nobody\n");
        assertEquals(1, unknown.failed(), unknown.oneLine());
        assertEquals(List.of("ann", "bob"), members("C1"), "tool_sync deleted the whole cohort here (bug 42)");
        RunSummary remove = sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber;userid\ndel;C1;bob\n");
        assertEquals(1, remove.count(OutcomeType.DELETED));
        assertEquals(List.of("ann"), members("C1"));
        RunSummary free = sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber\nfree;C1\n");
        assertEquals(1, free.count(OutcomeType.UPDATED));
        assertEquals(List.of(), members("C1"));
        // a cohort enrolment bound to it goes with the cohort, and what it enrolled
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname\nPHY;Physics\n");
        sync.feed("cohorts", "cohorts.csv", "cidnumber;userid\nC1;ann\n");
        long course = sync.count("SELECT id FROM mdl_course WHERE shortname = 'PHY'");
        long cohort = sync.count("SELECT id FROM mdl_cohort WHERE idnumber = 'C1'");
        long ann = sync.count("SELECT id FROM mdl_user WHERE username = 'ann'");
        sync.execute("INSERT INTO mdl_enrol (enrol, courseid, customint1, roleid) VALUES ('cohort', ?, ?, 5)", course, cohort);
        long instance = sync.count("SELECT max(id) FROM mdl_enrol");
        sync.execute("INSERT INTO mdl_user_enrolments (enrolid, userid) VALUES (?, ?)", instance, ann);
        sync.execute("INSERT INTO mdl_role_assignments (roleid, contextid, userid, component, itemid) SELECT 5, id, ?, 'enrol_cohort', ? FROM mdl_context"
                + " WHERE contextlevel = 50 AND instanceid = ?", ann, instance, course);
        RunSummary delete = sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber;userid\ndel;C1;\n");
        assertEquals(1, delete.count(OutcomeType.DELETED), delete.oneLine());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_cohort"));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_enrol WHERE enrol = 'cohort'"));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user_enrolments WHERE userid = ?", ann));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE component = 'enrol_cohort'"));
    }

    @Test
    void bindingsEnrolTheMembersAtOnceAndFollowMemberChanges() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nPHY;Physics;C-PHY\n");
        sync.feed("cohorts", "cohorts.csv", "cidnumber;cname;userid\nK1;Class 1;ann\n");
        sync.execute("INSERT INTO mdl_groups (courseid, name, timecreated, timemodified) SELECT id, 'Class 1 cohort', 0, 0 FROM mdl_course WHERE shortname = 'PHY'");
        RunSummary add = sync.feed("cohort-courses", "cohortscourses.csv", "cohort;course;role;makegroup\nK1;C-PHY;student;1\nK9;C-PHY;;\n");
        assertEquals(1, add.count(OutcomeType.CREATED), add.oneLine());
        assertEquals(1, add.failed());
        long course = sync.count("SELECT id FROM mdl_course WHERE shortname = 'PHY'");
        long instance = sync.count("SELECT id FROM mdl_enrol WHERE enrol = 'cohort' AND courseid = ?", course);
        long group = sync.count("SELECT customint2 FROM mdl_enrol WHERE id = ?", instance);
        assertEquals("Class 1 cohort(2)", sync.scalar("SELECT name FROM mdl_groups WHERE id = ?", group),
                "makegroup makes a group named as enrol_cohort names it, next to the course's own 'Class 1 cohort' (bug 44)");
        assertEquals(List.of("ann"), enrolled(instance));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE component = 'enrol_cohort' AND itemid = ?", instance));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_groups_members WHERE groupid = ? AND component = 'enrol_cohort'", group));
        // members change afterwards: the course follows at once
        sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber;userid\nadd;K1;bob\ndel;K1;ann\n");
        assertEquals(List.of("bob"), enrolled(instance), "enrol_cohort/unenrolaction 0: ann is unenrolled, bob enrolled");
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments ra JOIN mdl_user u ON u.id = ra.userid WHERE u.username = 'ann'"));
        RunSummary del = sync.feed("cohort-courses", "cohortscourses.csv", "cohort;course;cmd\nK1;C-PHY;del\n");
        assertEquals(1, del.count(OutcomeType.UPDATED), del.oneLine());
        assertEquals("1", sync.scalar("SELECT status FROM mdl_enrol WHERE id = ?", instance));
        assertEquals(List.of("bob"), enrolled(instance), "a disabled method keeps its enrolments");
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE component = 'enrol_cohort'"), "but gives no role");
        RunSummary restore = sync.feed("cohort-courses", "cohortscourses.csv", "cohort;course;cmd\nK1;C-PHY;restore\n");
        assertEquals(1, restore.count(OutcomeType.UPDATED), restore.oneLine());
        assertEquals(List.of("bob"), enrolled(instance));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE component = 'enrol_cohort'"), "restore gives the role back");
        sync.execute("DELETE FROM mdl_cache_flags");
        RunSummary fulldel = sync.feed("cohort-courses", "cohortscourses.csv", "cohort;course;cmd;role\nK1;C-PHY;fulldel;*\n");
        assertEquals(1, fulldel.count(OutcomeType.DELETED), fulldel.oneLine());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user_enrolments"));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE component = 'enrol_cohort'"), "nothing orphaned (bug 44)");
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups_members"));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_cache_flags f JOIN mdl_user u ON f.name = u.id::text WHERE f.flagtype = 'accesslib/dirtyusers'"
                + " AND u.username = 'bob'"), "the users who lost a role are marked dirty, as role_unassign_all() does");
    }

    private List<String> enrolled(long instance) throws Exception {
        return sync.rows("SELECT u.username FROM mdl_user_enrolments ue JOIN mdl_user u ON u.id = ue.userid WHERE ue.enrolid = ? AND ue.status = 0 ORDER BY 1", instance)
                .stream().map(r -> r.get("username")).toList();
    }

    @Test
    void theUsersFileCohortColumnsAddTheUserAndCreateTheCohort() throws Exception {
        RunSummary s = sync.feed("users", "userimport.csv", "username;firstname;lastname;cohort;cohortid\ncat;Cat;Three;Class 7;K7\nann;Ann;One;Class 7;\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(1, s.count(OutcomeType.UPDATED), "ann existed: joining the cohort is her change");
        assertEquals(List.of("ann", "cat"), members("K7"));
        assertEquals("Class 7", sync.scalar("SELECT name FROM mdl_cohort WHERE idnumber = 'K7'"));
        sync.execute("UPDATE mdl_cohort SET component = 'local_hr' WHERE idnumber = 'K7'");
        RunSummary refused = sync.feed("users", "userimport.csv", "username;firstname;lastname;cohort\ndan;Dan;Four;Class 7\n");
        assertEquals(1, refused.failed(), refused.oneLine());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'dan'"), "the line is applied whole or not at all");
    }

    @Test
    void badLinesAndComponentCohorts() throws Exception {
        sync.execute("INSERT INTO mdl_cohort (contextid, name, idnumber, descriptionformat, component, timecreated, timemodified) VALUES (1, 'Plugin', 'P1', 1, 'local_hr', 0, 0)");
        sync.feed("cohorts", "cohorts.csv", "cidnumber;cname\nC1;Class 1\n");
        RunSummary s = sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber;cname;userid;ccatcontextidnumber\n"
                + "add;P1;Plugin;ann;\n"
                + "add;;Nameless;;\n"
                + "frob;C1;;;\n"
                + "add;C2;Class 2;nobody;\n"
                + "add;C3;Class 3;;NOCAT\n"
                + "free;NOPE;;;\n");
        assertEquals(6, s.failed(), s.oneLine());
        String report = Files.readString(s.reportCsv());
        for (String expected : List.of("belongs to local_hr", "cidnumber (the cohort) is empty", "cmd must be add, del or free",
                "no single account with username nobody", "no category NOCAT", "no cohort with idnumber NOPE")) {
            assertTrue(report.contains(expected), expected + " in " + report);
        }
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_cohort WHERE idnumber IN ('C2', 'C3')"), "a failed line creates nothing");
        sync.set("cohorts.autocreate", "false");
        RunSummary off = sync.feed("cohorts", "cohorts.csv", "cidnumber;cname\nC9;Class 9\n");
        assertEquals(1, off.failed(), off.oneLine());
    }

    @Test
    void theComponentColumnOwnsNewCohortsAndFeedsOnlyItsOwn() throws Exception {
        RunSummary s = sync.feed("cohorts", "cohorts.csv", "cmd;cidnumber;cname;component;userid\n"
                + "add;HR1;HR staff;local_hr;ann\n"
                + "add;HR1;HR staff;local_hr;bob\n"
                + "add;HR1;;local_other;bob\n"
                + "add;HR1;;;bob\n"
                + "add;" + "X".repeat(101) + ";Long;;\n");
        assertEquals(3, s.failed(), s.oneLine());
        assertEquals("local_hr", sync.scalar("SELECT component FROM mdl_cohort WHERE idnumber = 'HR1'"), "the component column owns the cohort it creates");
        assertEquals(List.of("ann", "bob"), members("HR1"), "lines naming the owner feed it");
        String report = Files.readString(s.reportCsv());
        assertTrue(report.contains("belongs to local_hr"), report);
        assertTrue(report.contains("idnumber is longer than 100 characters"), report);

        sync.set("cohorts.identifier", "id");
        RunSummary byId = sync.feed("cohorts", "cohorts.csv", "cid;cname\n999999;Ghost\n");
        assertEquals(1, byId.failed(), byId.oneLine());
        assertTrue(Files.readString(byId.reportCsv()).contains("cohorts can only be created from files keyed by idnumber or name"));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_cohort WHERE name = 'Ghost'"), "no cohort is made up for an unknown id");
    }

    @Test
    void bindingsNeedTheCohortEnrolmentMethodEnabled() throws Exception {
        sync.execute("UPDATE mdl_config SET value = 'manual,guest,self' WHERE name = 'enrol_plugins_enabled'");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> sync.feed("cohort-courses", "cohortscourses.csv", "cohort;course\nK1;C-PHY\n"));
        assertTrue(org.moodlesync.cli.MoodleSyncCliTestAccess.rejection(e).contains("(enrol_cohort) is not enabled"), e.getMessage());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_enrol WHERE enrol = 'cohort'"));
    }
}
