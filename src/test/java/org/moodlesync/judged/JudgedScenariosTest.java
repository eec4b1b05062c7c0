package org.moodlesync.judged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.cli.MoodleSyncCliTestAccess;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.PictureArchives;
import org.moodlesync.support.SyncFixture;
import org.moodlesync.support.TestMoodle;

/**
 * Every feed, scenario after scenario, on one copy of a real Moodle 5.0: after each, Moodle's own checks
 * ({@code judge/check.php}: schema, Moodle's repair routines run in a rolled-back transaction, users,
 * categories, courses, enrolments, role assignments, groups, cohorts, files) must find no error and no row
 * that a repair routine would change, and the accounts must log in (or be refused) through Moodle's login path.
 */
class JudgedScenariosTest {
    private static final String PASSWORD = "Judge-pass1!";

    @TempDir
    Path dir;
    private TestMoodle moodle;
    private String db;
    private SyncFixture sync;
    private final List<String> checked = new ArrayList<>();

    @BeforeEach
    void start() {
        moodle = TestMoodle.require();
        db = moodle.freshCopy("judged_scenarios");
        // enrol_meta is off on a fresh site: an admin enables it before feeding meta links
        moodle.judge(db, "set-config.php", "enrol_plugins_enabled=manual,guest,self,cohort,meta");
        sync = new SyncFixture(dir, TestMoodle.jdbcUrl(db), TestMoodle.USER, TestMoodle.PASSWORD)
                .set(ConfigKeys.DATAROOT, moodle.dataroot().toString());
    }

    @AfterEach
    void stop() {
        if (sync != null) {
            sync.close();
        }
        if (moodle != null) {
            moodle.close();
        }
    }

    @Test
    void everyFeedLeavesASiteMoodlesChecksAccept() throws Exception {
        applied("courses: create (categories, topics, weeks, social)", "courses", "uploadcourses.csv",
                "shortname;fullname;idnumber;category;format;startdate;summary\n"
                        + "S-TOP;Topics;S-TOP;École/Sciences;topics;2026-09-01;<p>Été</p>\n"
                        + "S-WEEK;Weeks;S-WEEK;École/Sciences;weeks;2026-09-01;\n"
                        + "S-SOC;Social;S-SOC;École/Lettres;social;;\n"
                        + "S-META;Meta;S-META;École/Lettres;topics;;\n"
                        + "S-DEL;To delete;S-DEL;Vide/Branche;topics;;\n");
        applied("courses: from a template", "courses", "uploadcourses.csv", "shortname;fullname;idnumber;category;template\n"
                + "S-TPL;From template;S-TPL;École/Sciences;S-TOP\n");
        assertEquals(6, count("SELECT count(*) FROM mdl_course WHERE id > 1"));
        // mod_forum's course_created observer: Announcements for topics and weeks, a Social forum for the social format
        assertEquals(List.of("news", "news", "news", "news", "news", "social"),
                sync.rows("SELECT f.type FROM mdl_forum f ORDER BY f.type").stream().map(r -> r.get("type")).toList());

        applied("users: create", "users", "userimport.csv", "username;password;firstname;lastname;email;idnumber;city\n"
                + users("ann", "bob", "cid", "dan", "eve"));
        loginIs("ann", true);

        applied("users: update", "users", "userimport.csv", "username;firstname;lastname;city;idnumber\nann;Anne-Éloïse;Ünal;Nantes;ID-ann\n");

        sync.set("courses.force-update", "true");
        applied("courses: update (rename, teacher)", "courses", "uploadcourses.csv", "shortname;fullname;teacher1_account\nS-TOP;Topics, renamed;dan\n");

        applied("enrolments: enrol (dates, roles, gaddcreate)", "enrolments", "enrols.csv",
                "cmd;rolename;cid;uid;enrol;starttime;endtime;gcmd;g1\n"
                        + "add;student;S-TOP;ann;manual;;;gaddcreate;Groupe Ä\n"
                        + "add;student;S-TOP;bob;manual;;;;\n"
                        + "add;student;S-WEEK;cid;manual;2026-09-01;2027-06-30;;\n"
                        + "add;student;S-SOC;eve;manual;;;;\n"
                        + "add;editingteacher;S-SOC;dan;manual;;;;\n");
        applied("enrolments: shift", "enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol\nshift;teacher;S-TOP;bob;manual\n");

        applied("users: suspend", "users-suspend", "usersuspend.csv", "username\ncid\n");
        applied("enrolments: a suspended account", "enrolments", "enrols.csv", "cmd;rolename;cid;uid;enrol\nadd;student;S-SOC;cid;manual\n");
        loginIs("cid", false);

        applied("groups: groups and groupings", "groups", "groups.csv", "type;courseid;name;idnumber;description;grouping\n"
                + "grouping;S-TOP;Labos;LABS;Travaux pratiques;\n"
                + "group;S-TOP;Labo 1;LAB1;Lundi;LABS\n"
                + "group;S-TOP;Labo 2;LAB2;;LABS\n");
        applied("group members: add, shift", "group-members", "groupmembers.csv", "courseid;groupid;userid;cmd\n"
                + "S-TOP;LAB1;ann;add\nS-TOP;LAB2;bob;add\nS-TOP;LAB2;ann;shift\n");

        applied("cohorts: create, members", "cohorts", "cohorts.csv", "cmd;cidnumber;cname;cdescription;userid\n"
                + "add;COH-1;Cohorte Été;Élèves;ann\nadd;COH-1;;;bob\nadd;COH-1;;;eve\n");
        applied("cohort courses: binding with a group", "cohort-courses", "cohortscourses.csv",
                "cohort;course;cmd;role;makegroup\nCOH-1;S-WEEK;add;student;1\n");
        assertEquals(3, count("SELECT count(*) FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid WHERE e.enrol = 'cohort'"));

        applied("courses-meta: a meta link", "courses-meta", "metacourses.csv", "master;meta;cmd\nS-TOP;S-META;add\n");
        assertTrue(count("SELECT count(*) FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid WHERE e.enrol = 'meta'") >= 2);

        Path archive = PictureArchives.zip(dir.resolve("files/userpictures_judged.zip"),
                Map.of("ann.png", PictureArchives.image("png", Color.RED, 240, 180), "bob.jpg", PictureArchives.image("jpg", Color.BLUE, 240, 180)));
        RunSummary pictures = sync.app().process("pictures", archive, false);
        assertEquals(0, pictures.failed(), pictures.oneLine());
        assertEquals(2, pictures.count(OutcomeType.CREATED) + pictures.count(OutcomeType.UPDATED), pictures.oneLine());
        checks("pictures");
        JsonNode ann = moodle.judge(db, "users.php", "--username=ann").path("users").get(0);
        assertTrue(ann.path("picture").asLong() > 0, "Moodle sees ann's picture: " + ann);

        applied("users: delete", "users-delete", "userdelete.csv", "username\neve\n");
        applied("users: resurrect", "users", "userimport.csv", "username;password;firstname;lastname;email;idnumber;city\n" + users("eve"));
        loginIs("eve", true);

        applied("courses-reset: roles and groups", "courses-reset", "resetcourses.csv", "shortname;roles;groups;groupings\nS-TOP;student;members;none\n");
        applied("courses-delete: a course with its news forum", "courses-delete", "deletecourses.csv", "S-DEL\n");
        assertEquals(0, count("SELECT count(*) FROM mdl_course WHERE shortname = 'S-DEL'"));
        for (String table : List.of("forum", "course_modules", "course_sections", "enrol", "course_format_options")) {
            String column = table.equals("enrol") || table.equals("course_format_options") ? "courseid" : "course";
            assertEquals(0, count("SELECT count(*) FROM mdl_" + table + " t WHERE NOT EXISTS (SELECT 1 FROM mdl_course c WHERE c.id = t." + column + ")"),
                    "the deleted course left rows in " + table);
        }

        Path props = Files.writeString(dir.resolve("judged.properties"), String.join("\n",
                "moodle.db.url=" + TestMoodle.jdbcUrl(db), "moodle.db.user=" + TestMoodle.USER, "moodle.db.password=" + TestMoodle.PASSWORD,
                "sync.reports=" + dir.resolve("reports")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, MoodleSyncCliTestAccess.run(out, "clean-categories", "--config", props.toString()), out.toString());
        assertEquals(0, count("SELECT count(*) FROM mdl_course_categories WHERE name IN ('Vide', 'Branche')"), out.toString());
        checks("clean-categories");

        assertEquals(20, checked.size(), "every scenario was judged: " + checked);
    }

    /** Feeds a file: every line applied or unchanged, at least one changed something; then Moodle's checks. */
    private void applied(String scenario, String feed, String name, String content) throws Exception {
        RunSummary s = sync.feed(feed, name, content);
        assertEquals(0, s.failed(), scenario + ": " + s.oneLine());
        assertTrue(s.count(OutcomeType.UNCHANGED) < s.lines() || s.lines() == 0, scenario + " changed nothing: " + s.oneLine());
        checks(scenario);
    }

    /**
     * Moodle's check.php: no error, and no row that Moodle's repair routines would add, change or delete, but
     * for the context of the course forum: create_course() itself leaves it to be made on first use (the
     * differential test shows Moodle's own tools leave the same rows), and check.php says so in its message.
     */
    private void checks(String scenario) {
        JsonNode check = moodle.assertCheckPasses(db, scenario);
        List<String> repairs = new ArrayList<>();
        for (JsonNode p : check.path("problems")) {
            if (p.path("check").asText().equals("repairs") && !p.path("message").asText().contains("Moodle creates module contexts on first use")) {
                repairs.add(p.path("message").asText());
            }
        }
        assertEquals(List.of(), repairs, scenario + ": Moodle's repair routines would change rows");
        checked.add(scenario);
    }

    private void loginIs(String username, boolean ok) {
        JsonNode login = moodle.judge(db, "login.php", "--username=" + username, "--password=" + PASSWORD);
        assertEquals(ok, login.path("ok").asBoolean(), "login of " + username + " through Moodle: " + login);
        if (!ok) {
            assertFalse(login.path("failurereason").isMissingNode(), login.toString());
        }
    }

    private long count(String sql) throws Exception {
        return sync.count(sql);
    }

    private static String users(String... names) {
        StringBuilder s = new StringBuilder();
        for (String n : names) {
            s.append(n).append(';').append(PASSWORD).append(';').append(Character.toUpperCase(n.charAt(0))).append(n.substring(1))
                    .append(";Ünal;").append(n).append("@example.org;ID-").append(n).append(";Lyon\n");
        }
        return s.toString();
    }
}
