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

/** enrols.csv through the real routes; Moodle's invariants (members enrolled, enrolments on instances...) after each test. */
class EnrolmentsFeedTest {
    @TempDir
    Path tmp;
    SyncFixture sync;
    long course;
    long context;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
        sync.feed("users", "userimport.csv", "username;firstname;lastname;suspended\nann;Ann;One;0\nbob;Bob;Two;0\nsus;Sus;Pended;1\n");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nPHY;Physics;C-PHY\n");
        course = sync.count("SELECT id FROM mdl_course WHERE shortname = 'PHY'");
        context = sync.count("SELECT id FROM mdl_context WHERE contextlevel = 50 AND instanceid = ?", course);
    }

    /** Set by the tests whose role-only lines leave roles without enrolment on purpose. */
    boolean roleOnlyLines;

    @AfterEach
    void stop() throws Exception {
        try {
            sync.assertMoodleConsistent();
            if (!roleOnlyLines) {
                assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments ra JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 50"
                        + " WHERE NOT EXISTS (SELECT 1 FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid WHERE ue.userid = ra.userid"
                        + " AND e.courseid = x.instanceid)"), "no role assignment is left for an unenrolled user");
            }
        } finally {
            sync.close();
        }
    }

    private List<String> roles(String username) throws Exception {
        return sync.rows("SELECT r.shortname || ':' || ra.component AS x FROM mdl_role_assignments ra JOIN mdl_role r ON r.id = ra.roleid"
                + " JOIN mdl_user u ON u.id = ra.userid WHERE u.username = ? AND ra.contextid = ? ORDER BY 1", username, context).stream().map(r -> r.get("x")).toList();
    }

    private String enrolment(String username) throws Exception {
        return sync.scalar("SELECT ue.status FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid JOIN mdl_user u ON u.id = ue.userid"
                + " WHERE u.username = ? AND e.courseid = ?", username, course);
    }

    @Test
    void addEnrolsThroughTheManualMethodAndAnUnchangedFileWritesNothing() throws Exception {
        String file = "cmd;rolename;cid;uid;enrol;starttime;endtime\nadd;student;C-PHY;ann;;2026-09-01;2027-06-30\nadd;editingteacher;C-PHY;bob;manual;;\n";
        RunSummary s = sync.feed("enrolments", "enrols.csv", file);
        assertEquals(2, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("0", enrolment("ann"));
        assertEquals(List.of("student:"), roles("ann"));
        assertEquals(List.of("editingteacher:"), roles("bob"));
        assertTrue(Long.parseLong(sync.scalar("SELECT ue.timestart FROM mdl_user_enrolments ue JOIN mdl_user u ON u.id = ue.userid WHERE u.username = 'ann'")) > 0);
        assertEquals(2, sync.count("SELECT count(*) FROM mdl_cache_flags WHERE flagtype = 'accesslib/dirtyusers'"));
        String before = sync.scalar("SELECT string_agg(xmin::text, ',') FROM (SELECT xmin FROM mdl_user_enrolments UNION ALL SELECT xmin FROM mdl_role_assignments) x");
        RunSummary again = sync.feed("enrolments", "enrols.csv", file);
        assertEquals(2, again.count(OutcomeType.UNCHANGED), again.oneLine());
        assertEquals(before, sync.scalar("SELECT string_agg(xmin::text, ',') FROM (SELECT xmin FROM mdl_user_enrolments UNION ALL SELECT xmin FROM mdl_role_assignments) x"));
    }

    @Test
    void roleOnlyLinesAssignAndRemoveTheRoleWithoutEnrolment() throws Exception {
        roleOnlyLines = true;
        RunSummary s = sync.feed("enrolments", "enrols.csv", "rolename;cid;uid\nteacher;C-PHY;ann\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(List.of("teacher:"), roles("ann"));
        assertEquals(null, enrolment("ann"));
        RunSummary del = sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid\ndel;teacher;C-PHY;ann\n");
        assertEquals(1, del.count(OutcomeType.DELETED), del.oneLine());
        assertEquals(List.of(), roles("ann"));
    }

    @Test
    void shiftDisableEnableAndDelete() throws Exception {
        sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;enrol;gcmd;g1\nstudent;C-PHY;ann;manual;gaddcreate;Group A\n");
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_groups_members"));
        RunSummary shift = sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol\nshift;teacher;C-PHY;ann;manual\n");
        assertEquals(1, shift.count(OutcomeType.UPDATED), shift.oneLine());
        assertEquals(List.of("teacher:"), roles("ann"));
        RunSummary disable = sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol\ndisable;;C-PHY;ann;manual\n");
        assertEquals(1, disable.count(OutcomeType.SUSPENDED), "disable works (tool_sync bug 36): " + disable.oneLine());
        assertEquals("1", enrolment("ann"));
        RunSummary enable = sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid\nenable;;C-PHY;ann\n");
        assertEquals(1, enable.count(OutcomeType.UPDATED), enable.oneLine());
        assertEquals("0", enrolment("ann"));
        RunSummary del = sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol\ndel;;C-PHY;ann;manual\n");
        assertEquals(1, del.count(OutcomeType.DELETED), del.oneLine());
        assertEquals(null, enrolment("ann"));
        assertEquals(List.of(), roles("ann"), "no role left for an unenrolled user");
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups_members"), "nor a group membership");
    }

    @Test
    void groupCommands() throws Exception {
        roleOnlyLines = true; // bob's role-only line
        sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;enrol;gcmd;g1;g2\nstudent;C-PHY;ann;manual;gaddcreate;A;B\n");
        assertEquals(2, sync.count("SELECT count(*) FROM mdl_groups_members"));
        RunSummary replace = sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;enrol;gcmd;g1\nstudent;C-PHY;ann;manual;greplacecreate;C\n");
        assertEquals(1, replace.count(OutcomeType.UPDATED), replace.oneLine());
        assertEquals(List.of("C"), sync.rows("SELECT g.name FROM mdl_groups_members m JOIN mdl_groups g ON g.id = m.groupid").stream().map(r -> r.get("name")).toList());
        RunSummary gdel = sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;enrol;gcmd;g1\nstudent;C-PHY;ann;manual;gdel;C\n");
        assertEquals(1, gdel.count(OutcomeType.UPDATED), gdel.oneLine());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups_members"));
        RunSummary unknown = sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;enrol;gcmd;g1\nstudent;C-PHY;bob;manual;gadd;Nope\n");
        assertEquals(1, unknown.failed());
        assertEquals(null, enrolment("bob"), "a line whose group part fails writes nothing of its enrolment part");
        RunSummary notEnrolled = sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;gcmd;g1\nstudent;C-PHY;bob;gadd;A\n");
        assertEquals(1, notEnrolled.failed(), "a role-only user is not enrolled and cannot join groups");
        assertTrue(Files.readString(notEnrolled.reportCsv()).contains("cannot join its groups"));
    }

    @Test
    void badLinesFailOneByOne() throws Exception {
        RunSummary s = sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol;starttime;endtime\n"
                + "add;student;C-PHY;ann;;;\n"
                + "add;student;C-PHY;nobody;;;\n"
                + "add;student;NOPE;ann;;;\n"
                + "add;nosuchrole;C-PHY;bob;;;\n"
                + "add;guest;C-PHY;bob;;;\n"
                + ";student;C-PHY;bob;;;\n"
                + "frobnicate;student;C-PHY;bob;;;\n"
                + "add;student;C-PHY;bob;self;;\n"
                + "add;student;C-PHY;bob;;2026-09-01;2026-01-01\n"
                + "add;student;C-PHY;bob;;not a date;\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(9, s.failed());
        String report = Files.readString(s.reportCsv());
        for (String expected : List.of("no account with username nobody", "no course with idnumber NOPE", "there is no role nosuchrole",
                "role guest cannot be assigned in a course", "cmd is empty", "unknown cmd", "has no enabled self enrolment method",
                "endtime is before starttime", "is not a date")) {
            assertTrue(report.contains(expected), expected + " in " + report);
        }
    }

    @Test
    void aSuspendedAccountIsEnrolledAndStaysSuspended() throws Exception {
        RunSummary s = sync.feed("enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol\nadd;student;C-PHY;sus;manual\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("0", enrolment("sus"), "an active enrolment, as Moodle's upload tool makes it");
        assertEquals(List.of("student:"), roles("sus"), "the student role, as the manual method gives it");
        assertEquals("1", sync.scalar("SELECT suspended FROM mdl_user WHERE username = 'sus'"), "the account stays suspended");
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        RunSummary s = sync.dryRun("enrolments", "enrols.csv", "rolename;cid;uid;enrol\nstudent;C-PHY;ann;manual\n");
        assertEquals(1, s.count(OutcomeType.CREATED));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user_enrolments"));
    }
}
