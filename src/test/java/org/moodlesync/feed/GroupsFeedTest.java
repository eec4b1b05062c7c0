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

/** groups.csv and groupmembers.csv through the real routes; every member enrolled (MoodleInvariants) after each test. */
class GroupsFeedTest {
    @TempDir
    Path tmp;
    SyncFixture sync;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nPHY;Physics;C-PHY\nCHEM;Chemistry;C-CHEM\n");
        sync.feed("enrolments", "enrols.csv", "rolename;cid;uid;enrol\nstudent;C-PHY;ann;manual\nstudent;C-CHEM;ann;manual\n");
    }

    @AfterEach
    void stop() throws Exception {
        sync.checkAndClose();
    }

    @Test
    void groupsAndGroupingsAreCreatedUpdatedAndLinked() throws Exception {
        RunSummary s = sync.feed("groups", "groups.csv", "type;courseid;name;idnumber;description;grouping;selfgrouping\n"
                + "grouping;C-PHY;Labs;LABS;All labs;;\n"
                + "group;C-PHY;Lab A;LA;First lab;LABS;\n"
                + "group;C-PHY;Lab B;LB;;LABS;1\n"
                + ";C-CHEM;Lab A;LA;Chemistry lab;;\n"
                + "group;NOPE;X;;;;\n"
                + "group;C-PHY;Lab D;LD;;NOGROUPING;\n");
        assertEquals(4, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(2, s.failed());
        String report = Files.readString(s.reportCsv());
        assertTrue(report.contains("no course with idnumber NOPE"), report);
        assertTrue(report.contains("no grouping with idnumber NOGROUPING"), report);
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups WHERE name = 'Lab D'"), "a line is applied whole or not at all");
        long phy = sync.count("SELECT id FROM mdl_course WHERE shortname = 'PHY'");
        assertEquals(List.of("Lab A", "Lab B"), sync.rows("SELECT g.name FROM mdl_groupings_groups gg JOIN mdl_groups g ON g.id = gg.groupid"
                + " JOIN mdl_groupings x ON x.id = gg.groupingid WHERE x.name = 'Labs' AND x.courseid = ? ORDER BY 1", phy).stream().map(r -> r.get("name")).toList());
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_groupings WHERE name = 'Lab B' AND courseid = ?", phy), "selfgrouping made a grouping named after the group");
        RunSummary update = sync.feed("groups", "groups.csv", "courseid;name;updateid;description\nC-PHY;Lab A (room 12);LA;First lab\nC-PHY;Lab B;LB;\n");
        assertEquals(1, update.count(OutcomeType.UPDATED), update.oneLine());
        assertEquals(1, update.count(OutcomeType.UNCHANGED));
        assertEquals("Lab A (room 12)", sync.scalar("SELECT name FROM mdl_groups WHERE idnumber = 'LA' AND courseid = ?", phy));
        RunSummary clash = sync.feed("groups", "groups.csv", "courseid;name;updateid;idnumber\nC-PHY;Lab B;LB;LA\n");
        assertEquals(1, clash.failed(), clash.oneLine());
        assertTrue(Files.readString(clash.reportCsv()).contains("already has idnumber LA"));
    }

    @Test
    void dryRunsWriteNothing() throws Exception {
        RunSummary groups = sync.dryRun("groups", "groups.csv", "courseid;name;idnumber\nC-PHY;Lab A;LA\n");
        assertEquals(1, groups.count(OutcomeType.CREATED), groups.oneLine());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups"));
        sync.feed("groups", "groups.csv", "courseid;name;idnumber\nC-PHY;Lab A;LA\n");
        RunSummary members = sync.dryRun("group-members", "groupmembers.csv", "courseid;groupid;userid\nC-PHY;LA;ann\n");
        assertEquals(1, members.count(OutcomeType.UPDATED), members.oneLine());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups_members"));
    }

    @Test
    void badLinesFailWithTheirReason() throws Exception {
        RunSummary s = sync.feed("groups", "groups.csv", "type;courseid;name\ngroup;;Lab\ngroup;C-PHY;\nteam;C-PHY;Lab\n");
        assertEquals(3, s.failed(), s.oneLine());
        String report = Files.readString(s.reportCsv());
        for (String expected : List.of("courseid is empty", "name is empty", "type must be group or grouping")) {
            assertTrue(report.contains(expected), expected + " in " + report);
        }
        RunSummary m = sync.feed("group-members", "groupmembers.csv", "courseid;groupid;userid;cmd\nC-PHY;LA;nobody;add\nC-PHY;LA;ann;move\n;LA;ann;\n");
        assertEquals(3, m.failed(), m.oneLine());
        String mreport = Files.readString(m.reportCsv());
        for (String expected : List.of("no single account with username nobody", "cmd must be add, del or shift", "courseid is empty")) {
            assertTrue(mreport.contains(expected), expected + " in " + mreport);
        }
    }

    @Test
    void membersAddDelShiftAndPurge() throws Exception {
        sync.feed("groups", "groups.csv", "courseid;name;idnumber\nC-PHY;Lab A;LA\nC-PHY;Lab B;LB\nC-PHY;Lab C;LC\nC-CHEM;Lab A;LA\n");
        RunSummary add = sync.feed("group-members", "groupmembers.csv", "courseid;groupid;userid;cmd\nC-PHY;LA;ann;\nC-PHY;LB;bob;add\nC-PHY;NOPE;ann;add\n");
        assertEquals(1, add.count(OutcomeType.UPDATED), add.oneLine());
        assertEquals(2, add.failed(), "bob is not enrolled; NOPE is no group");
        assertTrue(Files.readString(add.reportCsv()).contains("only enrolled users join"));
        sync.set("groups.purge-empty", "groups");
        RunSummary shift = sync.feed("group-members", "groupmembers.csv", "courseid;groupid;userid;cmd\nC-PHY;LC;ann;shift\n");
        assertEquals(1, shift.count(OutcomeType.UPDATED), shift.oneLine());
        assertEquals(List.of("Lab C"), sync.rows("SELECT g.name FROM mdl_groups_members m JOIN mdl_groups g ON g.id = m.groupid JOIN mdl_user u ON u.id = m.userid"
                + " WHERE u.username = 'ann'").stream().map(r -> r.get("name")).toList());
        assertTrue(shift.notes().stream().anyMatch(n -> n.contains("purged")), "the empty groups of PHY are purged: " + shift.notes());
        assertEquals(List.of("Lab C"), sync.rows("SELECT name FROM mdl_groups WHERE courseid = (SELECT id FROM mdl_course WHERE shortname = 'PHY')")
                .stream().map(r -> r.get("name")).toList());
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_groups WHERE courseid = (SELECT id FROM mdl_course WHERE shortname = 'CHEM')"),
                "a course the file did not touch keeps its empty groups (tool_sync purged the whole site: bug 41)");
        RunSummary del = sync.feed("group-members", "groupmembers.csv", "courseid;groupid;userid;cmd\nC-PHY;LC;ann;del\n");
        assertEquals(1, del.count(OutcomeType.DELETED), "del works (tool_sync bug 41): " + del.oneLine());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups_members"));
    }
}
