package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/** The courses feeds through the real routes; Moodle's invariants are checked after each test. */
class CoursesFeedTest {
    @TempDir
    Path tmp;
    SyncFixture sync;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        sync.checkAndClose();
    }

    @Test
    void weeksCoursesEndWhereMoodleEndsThem() throws Exception {
        // format_weeks::update_end_date(): one week per section from the start, whatever the file says
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;format;startdate;enddate;topic6\n"
                + "W1;Weeks;weeks;2026-09-07;2027-06-30;Week six\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        long start = java.time.LocalDate.of(2026, 9, 7).atStartOfDay(java.time.ZoneId.of("Europe/London")).toEpochSecond();
        long sixWeeks = java.time.LocalDate.of(2026, 10, 19).atStartOfDay(java.time.ZoneId.of("Europe/London")).toEpochSecond();
        assertEquals(start + "|" + sixWeeks, sync.scalar("SELECT startdate || '|' || enddate FROM mdl_course WHERE shortname = 'W1'"));
        assertEquals("1", sync.scalar("SELECT value FROM mdl_course_format_options WHERE name = 'automaticenddate'"));

        sync.set("courses.force-update", "true");
        RunSummary moved = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;startdate;enddate\nW1;Weeks;2026-10-12;2027-06-30\n");
        assertEquals(1, moved.count(OutcomeType.UPDATED), moved.oneLine());
        // six weeks across the end of British Summer Time (25 October): counted in calendar days, at local midnight
        long movedEnd = java.time.LocalDate.of(2026, 11, 23).atStartOfDay(java.time.ZoneId.of("Europe/London")).toEpochSecond();
        assertEquals(Long.toString(movedEnd), sync.scalar("SELECT enddate FROM mdl_course WHERE shortname = 'W1'"));
        RunSummary again = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;startdate;enddate\nW1;Weeks;2026-10-12;2027-06-30\n");
        assertEquals(1, again.count(OutcomeType.UNCHANGED), "the file's end date loses to Moodle's, and nothing is written again: " + again.oneLine());
    }

    @Test
    void createsCoursesAsCreateCourseDoes() throws Exception {
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category;idnumber;summary;topic1;topic2;startdate\n"
                + "PHY101;Physics 101;Faculty/Science;C-PHY101;<p>Forces</p>;Mechanics|Newton's laws;Optics;2026-09-01\n"
                + "CHEM1;Chemistry;Faculty/Science;;;;;\n"
                + "ART1;Art;;;;;;\n");
        assertEquals(3, s.count(OutcomeType.CREATED), s.oneLine());
        Map<String, String> phy = sync.row("SELECT * FROM mdl_course WHERE shortname = 'PHY101'");
        assertEquals("Physics 101", phy.get("fullname"));
        assertEquals("C-PHY101", phy.get("idnumber"));
        assertEquals("topics", phy.get("format"));
        assertEquals("1", phy.get("visible"));
        assertEquals("1", phy.get("visibleold"));
        assertTrue(Long.parseLong(phy.get("startdate")) > 1_780_000_000L, phy.get("startdate"));
        Map<String, String> science = sync.row("SELECT * FROM mdl_course_categories WHERE name = 'Science'");
        assertEquals(phy.get("category"), science.get("id"));
        assertEquals("2", science.get("coursecount"));
        assertEquals("2", science.get("depth"));
        assertEquals("1", sync.scalar("SELECT category FROM mdl_course WHERE shortname = 'ART1'"), "no category: the default category");
        // sections 0..4 (the site default numsections), topic1 and topic2 named from the file
        assertEquals("5", sync.scalar("SELECT count(*) FROM mdl_course_sections WHERE course = ?::bigint", phy.get("id")));
        assertEquals("Mechanics", sync.scalar("SELECT name FROM mdl_course_sections WHERE course = ?::bigint AND section = 1", phy.get("id")));
        assertEquals("Newton's laws", sync.scalar("SELECT summary FROM mdl_course_sections WHERE course = ?::bigint AND section = 1", phy.get("id")));
        assertEquals("Optics", sync.scalar("SELECT name FROM mdl_course_sections WHERE course = ?::bigint AND section = 2", phy.get("id")));
        // format options and the site's default enrol instances
        assertEquals("coursedisplay=0,hiddensections=1", sync.scalar("SELECT string_agg(name || '=' || value, ',' ORDER BY name) FROM mdl_course_format_options WHERE courseid = ?::bigint", phy.get("id")));
        List<Map<String, String>> enrol = sync.rows("SELECT enrol, status, sortorder, roleid FROM mdl_enrol WHERE courseid = ?::bigint ORDER BY sortorder", Long.parseLong(phy.get("id")));
        assertEquals(List.of("manual", "guest", "self"), enrol.stream().map(e -> e.get("enrol")).toList());
        assertEquals(List.of("0", "1", "1"), enrol.stream().map(e -> e.get("status")).toList());
        // the course context hangs under its category's context
        Map<String, String> ctx = sync.row("SELECT * FROM mdl_context WHERE contextlevel = 50 AND instanceid = ?::bigint", phy.get("id"));
        String catPath = sync.scalar("SELECT path FROM mdl_context WHERE contextlevel = 40 AND instanceid = ?::bigint", science.get("id"));
        assertEquals(catPath + "/" + ctx.get("id"), ctx.get("path"));
        assertEquals("4", ctx.get("depth"));
    }

    @Test
    void existingCoursesAreUnchangedUnlessForceUpdateAndThenOnlyPresentColumnsChange() throws Exception {
        sync.set("courses.force-update", "true");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category;summary;self\nPHY101;Physics;Science;Intro;\nBIO1;Biology;Science;Cells;\n");
        String xmin = sync.scalar("SELECT xmin::text FROM mdl_course WHERE shortname = 'BIO1'");
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;visible;self\nPHY101;Physics I;0;1\nBIO1;Biology;;\n");
        assertEquals(1, s.count(OutcomeType.UPDATED), s.oneLine());
        assertEquals(1, s.count(OutcomeType.UNCHANGED));
        Map<String, String> phy = sync.row("SELECT * FROM mdl_course WHERE shortname = 'PHY101'");
        assertEquals("Physics I", phy.get("fullname"));
        assertEquals("0", phy.get("visible"));
        assertEquals("Intro", phy.get("summary"), "an absent column keeps its value (tool_sync bug 26)");
        assertEquals("0", sync.scalar("SELECT status FROM mdl_enrol WHERE courseid = ?::bigint AND enrol = 'self'", Long.parseLong(phy.get("id"))));
        assertEquals(xmin, sync.scalar("SELECT xmin::text FROM mdl_course WHERE shortname = 'BIO1'"), "an unchanged course is not written");
    }

    @Test
    void moveToAnotherCategoryKeepsSortordersCountsAndContextPaths() throws Exception {
        sync.set("courses.force-update", "true");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nA1;A1;Arts\nA2;A2;Arts\nS1;S1;Sciences\n");
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nA1;A1;Sciences\n");
        assertEquals(1, s.count(OutcomeType.UPDATED), s.oneLine());
        assertEquals("1", sync.scalar("SELECT coursecount FROM mdl_course_categories WHERE name = 'Arts'"));
        assertEquals("2", sync.scalar("SELECT coursecount FROM mdl_course_categories WHERE name = 'Sciences'"));
    }

    @Test
    void categoryTreeBuiltOverSeveralFilesStaysConsistent() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nZ1;Z1;Zeta/Inner\nM1;M1;Mid\n");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nA1;A1;Alpha\nZ2;Z2;Zeta/Inner/Deep\nM2;M2;Mid/Sub\n");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nZ3;Z3;Zeta\nM3;M3;Mid\n");
        assertEquals("7", sync.scalar("SELECT count(*) FROM mdl_course_categories"));
        assertEquals("2", sync.scalar("SELECT coursecount FROM mdl_course_categories WHERE name = 'Mid'"));
    }

    @Test
    void badLinesFailOneByOne() throws Exception {
        sync.execute("UPDATE mdl_course_categories SET idnumber = 'CAT1' WHERE id = 1");
        sync.set("courses.category-identifier", "idnumber");
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category;format;visible;startdate;enddate\n"
                + "OK1;Fine;CAT1;topics;1;2026-09-01;2027-06-30\n"
                + "BAD1;Bad category;NOPE;topics;1;;\n"
                + "BAD2;Bad format;CAT1;tiles;1;;\n"
                + "BAD3;Bad visible;CAT1;topics;yes;;\n"
                + "BAD4;Bad date;CAT1;topics;1;31/12/2026;\n"
                + "BAD5;Ends first;CAT1;topics;1;2026-09-01;2026-01-01\n"
                + ";No shortname;CAT1;topics;1;;\n"
                + "OK1;Twice;CAT1;topics;1;;\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(7, s.failed());
        String report = Files.readString(s.reportCsv());
        for (String expected : List.of("no category with idnumber NOPE", "tiles", "visible must be", "is not a date", "enddate is before startdate",
                "shortname is empty", "already on line 2")) {
            assertTrue(report.contains(expected), expected + " in " + report);
        }
        assertEquals(8, Files.readAllLines(s.tryback()).size(), "header and the seven bad lines");
        RunSummary collision = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nOK1;Other;X-9\n");
        assertEquals(1, collision.count(OutcomeType.UNCHANGED), "force-update off: " + collision.oneLine());
    }

    @Test
    void checkReportsFoundAndMissingCourses() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber\nPHY101;Physics 101;C-1\n");
        RunSummary s = sync.feed("courses-check", "courses.csv", "PHY101;the physics course\nNOPE\n");
        assertEquals(1, s.count(OutcomeType.UNCHANGED), s.oneLine());
        assertEquals(1, s.failed());
        String report = Files.readString(s.reportCsv());
        assertTrue(report.contains("found: id") && report.contains("Physics 101") && report.contains("C-1"), report);
        assertTrue(report.contains("no course with shortname NOPE"), report);
    }

    @Test
    void deleteRemovesEmptyCoursesCompletelyAndParksCoursesWithActivities() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nA1;A1;Arts\nA2;A2;Arts\nA3;A3;Arts\nS1;S1;Sciences\n");
        long a2 = sync.count("SELECT id FROM mdl_course WHERE shortname = 'A2'");
        long a2ctx = sync.count("SELECT id FROM mdl_context WHERE contextlevel = 50 AND instanceid = ?", a2);
        // what a used course holds: an enrolled user with a role, a group with a member, a block with its context
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nann;Ann;One\n");
        long ann = sync.count("SELECT id FROM mdl_user WHERE username = 'ann'");
        sync.execute("INSERT INTO mdl_user_enrolments (enrolid, userid) SELECT id, ? FROM mdl_enrol WHERE courseid = ? AND enrol = 'manual'", ann, a2);
        sync.execute("INSERT INTO mdl_role_assignments (roleid, contextid, userid) VALUES (5, ?, ?)", a2ctx, ann);
        sync.execute("INSERT INTO mdl_groups (courseid, name) VALUES (?, 'G1')", a2);
        sync.execute("INSERT INTO mdl_groups_members (groupid, userid) SELECT max(id), ? FROM mdl_groups", ann);
        sync.execute("INSERT INTO mdl_block_instances (blockname, parentcontextid, showinsubcontexts, pagetypepattern, defaultregion, defaultweight, timecreated, timemodified)"
                + " VALUES ('html', ?, 0, 'course-view-*', 'side-pre', 0, 0, 0)", a2ctx);
        long block = sync.count("SELECT max(id) FROM mdl_block_instances");
        sync.execute("WITH n AS (SELECT nextval('mdl_context_id_seq') AS id) INSERT INTO mdl_context (id, contextlevel, instanceid, path, depth)"
                + " SELECT n.id, 80, ?, c.path || '/' || n.id, c.depth + 1 FROM n, mdl_context c WHERE c.id = ?", block, a2ctx);
        // A3 holds an activity
        long a3 = sync.count("SELECT id FROM mdl_course WHERE shortname = 'A3'");
        sync.execute("INSERT INTO mdl_course_modules (course, module, instance, section) SELECT ?, m.id, 1, s.id FROM mdl_modules m, mdl_course_sections s"
                + " WHERE m.name = 'page' AND s.course = ? AND s.section = 0", a3, a3);
        sync.execute("UPDATE mdl_course_sections SET sequence = concat_ws(',', NULLIF(sequence, ''), (SELECT max(id)::text FROM mdl_course_modules))"
                + " WHERE course = ? AND section = 0", a3);

        RunSummary s = sync.feed("courses-delete", "deletecourses.csv", "A2\nA3\nNOPE\n");
        assertEquals(1, s.count(OutcomeType.DELETED), s.oneLine());
        assertEquals(1, s.count(OutcomeType.UPDATED), "A3 is parked, not half-deleted");
        assertEquals(1, s.failed(), "NOPE is unknown");
        assertEquals(List.of("NOPE"), Files.readAllLines(s.tryback()), "the unknown line as it was, no header");
        for (String table : List.of("course WHERE id", "course_sections WHERE course", "course_format_options WHERE courseid", "enrol WHERE courseid", "groups WHERE courseid")) {
            assertEquals(0, sync.count("SELECT count(*) FROM mdl_" + table + " = ?", a2), table);
        }
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user_enrolments WHERE userid = ?", ann));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE userid = ?", ann));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups_members WHERE userid = ?", ann));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_block_instances WHERE id = ?", block));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_context WHERE id = ? OR path LIKE (SELECT '%/' || ? || '/%')", a2ctx, a2ctx));
        Map<String, String> parked = sync.row("SELECT co.visible, cat.name, cat.visible AS catvisible FROM mdl_course co JOIN mdl_course_categories cat ON cat.id = co.category WHERE co.id = ?", a3);
        assertEquals("0", parked.get("visible"));
        assertEquals("Courses to delete", parked.get("name"));
        assertEquals("0", parked.get("catvisible"));
        assertEquals("1", sync.scalar("SELECT coursecount FROM mdl_course_categories WHERE name = 'Arts'"));
        RunSummary again = sync.feed("courses-delete", "deletecourses.csv", "A3\n");
        assertEquals(1, again.count(OutcomeType.UNCHANGED), again.oneLine());
    }

    @Test
    void cleanCategoriesRemovesEmptyBranchesOnly() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nK1;K1;Keep/Inner\nG1;G1;Gone/Sub\n");
        sync.feed("courses-delete", "deletecourses.csv", "G1\n");
        Path props = tmp.resolve("clean.properties");
        Files.writeString(props, "moodle.db.url=" + sync.dbUrl + "\nmoodle.db.user=" + org.moodlesync.support.TestDatabases.user()
                + "\nmoodle.db.password=" + org.moodlesync.support.TestDatabases.password() + "\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int dry = org.moodlesync.cli.MoodleSyncCliTestAccess.run(out, "clean-categories", "--dry-run", "--config", props.toString());
        assertEquals(0, dry);
        assertTrue(out.toString().contains("would remove: Sub") && out.toString().contains("would remove: Gone"), out.toString());
        assertEquals("5", sync.scalar("SELECT count(*) FROM mdl_course_categories"), "a dry run removes nothing");
        out.reset();
        assertEquals(0, org.moodlesync.cli.MoodleSyncCliTestAccess.run(out, "clean-categories", "--config", props.toString()));
        assertTrue(out.toString().contains("2 empty categories removed"), out.toString());
        assertEquals(List.of("Category 1", "Keep", "Inner"), sync.rows("SELECT name FROM mdl_course_categories ORDER BY sortorder").stream().map(r -> r.get("name")).toList());
    }

    @Test
    void teachersAreEnrolledThroughTheManualMethodWithTheirRole() throws Exception {
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nprof;Pro;Fessor\nta;Teaching;Assistant\n");
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;teacher1_account;teacher2_account;teacher2_role\n"
                + "PHY101;Physics;prof;ta;teacher\n"
                + "BAD1;Bad teacher;nobody;;\n"
                + "BAD2;Bad role;prof;ta;student-ish\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(2, s.failed());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_course WHERE shortname LIKE 'BAD%'"), "a failed line leaves no course behind");
        long course = sync.count("SELECT id FROM mdl_course WHERE shortname = 'PHY101'");
        List<Map<String, String>> roles = sync.rows("SELECT u.username, r.shortname, ra.component, ue.status FROM mdl_user u"
                + " JOIN mdl_user_enrolments ue ON ue.userid = u.id JOIN mdl_enrol e ON e.id = ue.enrolid AND e.enrol = 'manual' AND e.courseid = ?"
                + " JOIN mdl_context ctx ON ctx.contextlevel = 50 AND ctx.instanceid = e.courseid"
                + " JOIN mdl_role_assignments ra ON ra.userid = u.id AND ra.contextid = ctx.id JOIN mdl_role r ON r.id = ra.roleid ORDER BY u.username", course);
        assertEquals(List.of("prof:editingteacher", "ta:teacher"), roles.stream().map(r -> r.get("username") + ":" + r.get("shortname")).toList());
        assertTrue(roles.stream().allMatch(r -> r.get("component").isEmpty() && r.get("status").equals("0")));
        assertEquals(2, sync.count("SELECT count(*) FROM mdl_cache_flags WHERE flagtype = 'accesslib/dirtyusers'"));
    }

    @Test
    void aTemplateGivesItsFormatSectionsAndEnrolmentMethods() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;format;summary;self;topic1;topic2;topic5\nTPL;Template;weeks;Standard summary;1;Week one;Week two;Week five\n");
        long tpl = sync.count("SELECT id FROM mdl_course WHERE shortname = 'TPL'");
        sync.execute("UPDATE mdl_course_sections SET visible = 0 WHERE course = ? AND section = 2", tpl);
        sync.execute("UPDATE mdl_course_format_options SET value = '0' WHERE courseid = ? AND name = 'hiddensections'", tpl);
        RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;template;topic1\nNEW1;New course;TPL;First week|Welcome\nNEW2;Other;NOPE;\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertTrue(Files.readString(s.reportCsv()).contains("activities are not copied"));
        assertTrue(Files.readString(s.reportCsv()).contains("template course NOPE does not exist"));
        long created = sync.count("SELECT id FROM mdl_course WHERE shortname = 'NEW1'");
        assertEquals("weeks", sync.scalar("SELECT format FROM mdl_course WHERE id = ?", created));
        assertEquals("Standard summary", sync.scalar("SELECT summary FROM mdl_course WHERE id = ?", created));
        assertEquals(List.of("First week", "Week two", "Week five"), sync.rows("SELECT name FROM mdl_course_sections WHERE course = ? AND section IN (1, 2, 5) ORDER BY section", created)
                .stream().map(r -> r.get("name")).toList());
        assertEquals("0", sync.scalar("SELECT visible FROM mdl_course_sections WHERE course = ? AND section = 2", created));
        assertEquals("0", sync.scalar("SELECT value FROM mdl_course_format_options WHERE courseid = ? AND name = 'hiddensections'", created));
        assertEquals(sync.scalar("SELECT string_agg(enrol || status, ',' ORDER BY sortorder) FROM mdl_enrol WHERE courseid = ?", tpl),
                sync.scalar("SELECT string_agg(enrol || status, ',' ORDER BY sortorder) FROM mdl_enrol WHERE courseid = ?", created));
    }

    @Test
    void resetUnenrolsByRoleEmptiesGroupsAndSaysWhatOnlyMoodleCanReset() throws Exception {
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nprof;Pro;Fessor\nstu1;Stu;One\nstu2;Stu;Two\n");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;teacher1_account\nPHY;Physics;prof\n");
        long course = sync.count("SELECT id FROM mdl_course WHERE shortname = 'PHY'");
        long ctx = sync.count("SELECT id FROM mdl_context WHERE contextlevel = 50 AND instanceid = ?", course);
        for (String u : List.of("stu1", "stu2")) {
            long id = sync.count("SELECT id FROM mdl_user WHERE username = ?", u);
            sync.execute("INSERT INTO mdl_user_enrolments (enrolid, userid) SELECT id, ? FROM mdl_enrol WHERE courseid = ? AND enrol = 'manual'", id, course);
            sync.execute("INSERT INTO mdl_role_assignments (roleid, contextid, userid) VALUES (5, ?, ?)", ctx, id);
        }
        sync.execute("INSERT INTO mdl_groups (courseid, name) VALUES (?, 'G1')", course);
        sync.execute("INSERT INTO mdl_groups_members (groupid, userid) SELECT max(g.id), u.id FROM mdl_groups g, mdl_user u WHERE u.username IN ('prof', 'stu1') GROUP BY u.id");

        RunSummary s = sync.feed("courses-reset", "resetcourses.csv", "shortname;roles;groups;grades;logs\nPHY;student;members;all;no\nNOPE;all;;;\nPHY2;ghost;;;\n");
        assertEquals(1, s.count(OutcomeType.UPDATED), s.oneLine());
        assertEquals(2, s.failed());
        String report = Files.readString(s.reportCsv());
        assertTrue(report.contains("NOT reset, only Moodle's course reset can: grades"), report);
        assertTrue(!report.contains("NOT reset, only Moodle's course reset can: grades, logs"), "logs=no asks for nothing: " + report);
        assertEquals(List.of("prof"), sync.rows("SELECT u.username FROM mdl_user_enrolments ue JOIN mdl_user u ON u.id = ue.userid JOIN mdl_enrol e ON e.id = ue.enrolid"
                + " WHERE e.courseid = ?", course).stream().map(r -> r.get("username")).toList(), "students unenrolled, the teacher stays");
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE contextid = ? AND roleid = 5", ctx));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_groups_members"));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_groups WHERE courseid = ?", course), "members: the groups stay");
        RunSummary again = sync.feed("courses-reset", "resetcourses.csv", "shortname;roles;groups\nPHY;student;members\n");
        assertEquals(1, again.count(OutcomeType.UNCHANGED), "nothing left to reset: " + again.oneLine());
    }

    @Test
    void metaLinksEnrolTheMastersUsersAtOnceAndDelDisablesThem() throws Exception {
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nprof;Pro;Fessor\nstu;Stu;Dent\n");
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname;teacher1_account\nMASTER;Master;prof\nCHILD;Child;\n");
        long master = sync.count("SELECT id FROM mdl_course WHERE shortname = 'MASTER'");
        long child = sync.count("SELECT id FROM mdl_course WHERE shortname = 'CHILD'");
        long stu = sync.count("SELECT id FROM mdl_user WHERE username = 'stu'");
        sync.execute("INSERT INTO mdl_user_enrolments (enrolid, userid) SELECT id, ? FROM mdl_enrol WHERE courseid = ? AND enrol = 'manual'", stu, master);
        sync.execute("INSERT INTO mdl_role_assignments (roleid, contextid, userid) SELECT 5, id, ? FROM mdl_context WHERE contextlevel = 50 AND instanceid = ?", stu, master);

        Path file = sync.write("metacourses.csv", "master;meta\nMASTER;CHILD\n");
        RuntimeException notEnabled = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> sync.app().process("courses-meta", file, false));
        assertTrue(org.moodlesync.cli.MoodleSyncCliTestAccess.rejection(notEnabled).contains("enrol_meta"));
        sync.execute("UPDATE mdl_config SET value = value || ',meta' WHERE name = 'enrol_plugins_enabled'");

        RunSummary add = sync.app().process("courses-meta", file, false);
        assertEquals(1, add.count(OutcomeType.CREATED), add.oneLine());
        long instance = sync.count("SELECT id FROM mdl_enrol WHERE enrol = 'meta' AND courseid = ? AND customint1 = ? AND status = 0", child, master);
        assertEquals(List.of("prof:editingteacher", "stu:student"), sync.rows("SELECT u.username, r.shortname FROM mdl_role_assignments ra JOIN mdl_user u ON u.id = ra.userid"
                + " JOIN mdl_role r ON r.id = ra.roleid JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 50 AND x.instanceid = ?"
                + " WHERE ra.component = 'enrol_meta' AND ra.itemid = ? ORDER BY u.username", child, instance).stream()
                .map(r -> r.get("username") + ":" + r.get("shortname")).toList());
        assertEquals(2, sync.count("SELECT count(*) FROM mdl_user_enrolments WHERE enrolid = ? AND status = 0", instance));
        assertEquals(1, sync.app().process("courses-meta", file, false).count(OutcomeType.UNCHANGED), "linking twice changes nothing");

        RunSummary del = sync.feed("courses-meta", "metacourses.csv", "master;meta;cmd\nMASTER;CHILD;del\nMASTER;NOPE;add\n");
        assertEquals(1, del.count(OutcomeType.UPDATED), del.oneLine());
        assertEquals(1, del.failed());
        assertEquals("1", sync.scalar("SELECT status FROM mdl_enrol WHERE id = ?", instance));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_role_assignments WHERE component = 'enrol_meta'"));
        assertEquals(2, sync.count("SELECT count(*) FROM mdl_user_enrolments WHERE enrolid = ? AND status = 1", instance),
                "enrol_meta/unenrolaction 3: suspended, roles removed");
    }

    @Test
    void dryRunCreatesNothing() throws Exception {
        RunSummary s = sync.dryRun("courses", "uploadcourses.csv", "shortname;fullname;category\nPHY101;Physics;New/Tree\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("1", sync.scalar("SELECT count(*) FROM mdl_course"));
        assertEquals("1", sync.scalar("SELECT count(*) FROM mdl_course_categories"));
    }
}
