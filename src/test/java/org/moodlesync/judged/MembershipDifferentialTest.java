package org.moodlesync.judged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.PictureArchives;
import org.moodlesync.support.SyncFixture;
import org.moodlesync.support.TestMoodle;

/**
 * The feeds that build on courses and accounts, against Moodle's own APIs on the same site: the same
 * enrolments, groups, groupings, group members, cohort, cohort binding (with its group) and meta link are made
 * on copy A through enrol_user(), groups_create_group(), groups_create_grouping(), groups_assign_grouping(),
 * groups_add_member(), cohort_add_cohort(), cohort_add_member(), enrol_cohort and enrol_meta with their sync
 * ({@code judge/apply-api.php}), and on copy B through moodle-sync's enrolments, groups, group-members, cohorts,
 * cohort-courses and courses-meta feeds; the same custom profile field values and user pictures through
 * profile_save_data() and process_new_icon() on A, the users and pictures feeds on B. Both copies first get the
 * same courses and accounts from moodle-sync, and the same profile field from an admin's set-up.
 */
class MembershipDifferentialTest {
    private static final int USERS = 40;

    @TempDir
    Path dir;

    @Test
    void membershipFeedsWriteWhatMoodlesApisWrite() throws Exception {
        try (TestMoodle moodle = TestMoodle.require()) {
            String a = moodle.freshCopy("diff_members_a");
            String b = moodle.freshCopy("diff_members_b");
            ZoneId zone = null;
            Path setupOps = dir.resolve("setup-ops.json");
            new ObjectMapper().writeValue(setupOps.toFile(), List.of(op("op", "profile_field", "shortname", "dept", "name", "Département")));
            for (String db : List.of(a, b)) {
                moodle.judge(db, "set-config.php", "enrol_plugins_enabled=manual,guest,self,cohort,meta");
                moodle.judge(db, "apply-api.php", "--file=" + setupOps); // an admin's set-up, the same on both sites
                try (SyncFixture sync = new SyncFixture(dir.resolve(db), TestMoodle.jdbcUrl(db), TestMoodle.USER, TestMoodle.PASSWORD)) {
                    StringBuilder courses = new StringBuilder("shortname;fullname;idnumber;category\n");
                    for (int i = 1; i <= 6; i++) {
                        courses.append("M").append(i).append(";Matière ").append(i).append(";M").append(i).append(";Membres\n");
                    }
                    ok(sync.feed("courses", "uploadcourses.csv", courses.toString()));
                    StringBuilder users = new StringBuilder("username;firstname;lastname;email;auth\n");
                    for (int u = 0; u < USERS; u++) {
                        users.append(user(u)).append(";Zoë;Brontë;").append(user(u)).append("@example.org;manual\n");
                    }
                    ok(sync.feed("users", "userimport.csv", users.toString()));
                    zone = ZoneId.of(sync.scalar("SELECT value FROM mdl_config WHERE name = 'timezone'"));
                }
            }
            long start = LocalDate.of(2026, 9, 1).atStartOfDay(zone).toEpochSecond();
            long end = LocalDate.of(2027, 6, 30).atStartOfDay(zone).toEpochSecond();

            List<Map<String, Object>> ops = new ArrayList<>();
            StringBuilder enrols = new StringBuilder("cmd;rolename;cid;uid;enrol;starttime;endtime\n");
            for (int u = 0; u < USERS; u++) {
                String course = "M" + (u % 4 + 1);
                boolean dated = u % 3 == 0;
                ops.add(op("op", "enrol", "course", course, "user", user(u), "role", "student", "timestart", dated ? start : 0, "timeend", dated ? end : 0));
                enrols.append("add;student;").append(course).append(';').append(user(u)).append(";manual;")
                        .append(dated ? "2026-09-01;2027-06-30" : ";").append('\n');
                if (u % 10 == 0) {
                    ops.add(op("op", "enrol", "course", "M5", "user", user(u), "role", "editingteacher"));
                    enrols.append("add;editingteacher;M5;").append(user(u)).append(";manual;;\n");
                }
            }
            ops.add(op("op", "grouping", "course", "M1", "name", "Labos", "idnumber", "LABS", "description", "Travaux pratiques"));
            ops.add(op("op", "group", "course", "M1", "name", "Labo 1", "idnumber", "LAB1", "description", "Lundi"));
            ops.add(op("op", "assign_grouping", "course", "M1", "grouping", "Labos", "group", "Labo 1"));
            ops.add(op("op", "group", "course", "M1", "name", "Labo 2", "idnumber", "LAB2", "description", ""));
            ops.add(op("op", "assign_grouping", "course", "M1", "grouping", "Labos", "group", "Labo 2"));
            String groups = "type;courseid;name;idnumber;description;grouping\n"
                    + "grouping;M1;Labos;LABS;Travaux pratiques;\n"
                    + "group;M1;Labo 1;LAB1;Lundi;LABS\n"
                    + "group;M1;Labo 2;LAB2;;LABS\n";
            StringBuilder members = new StringBuilder("courseid;groupid;userid;cmd\n");
            for (int u = 0; u < USERS; u += 4) { // M1's students
                String group = u % 8 == 0 ? "Labo 1" : "Labo 2";
                ops.add(op("op", "member", "course", "M1", "group", group, "user", user(u)));
                members.append("M1;").append(group.equals("Labo 1") ? "LAB1" : "LAB2").append(';').append(user(u)).append(";add\n");
            }
            ops.add(op("op", "cohort", "idnumber", "COH-X", "name", "Cohorte X", "description", "Élèves de X"));
            StringBuilder cohorts = new StringBuilder("cmd;cidnumber;cname;cdescription;userid\n");
            for (int u = 0; u < 10; u++) {
                ops.add(op("op", "cohort_member", "cohort", "COH-X", "user", user(u)));
                cohorts.append("add;COH-X;Cohorte X;Élèves de X;").append(user(u)).append('\n');
            }
            ops.add(op("op", "cohort_sync", "course", "M6", "cohort", "COH-X", "role", "student", "makegroup", true));
            ops.add(op("op", "meta", "master", "M2", "meta", "M5"));
            StringBuilder profiles = new StringBuilder("username;firstname;lastname;profile_field_dept\n");
            Map<String, byte[]> pictures = new LinkedHashMap<>();
            for (int u = 0; u < 10; u++) {
                ops.add(op("op", "profile_data", "user", user(u), "shortname", "dept", "value", "Dépt-" + u));
                profiles.append(user(u)).append(";Zoë;Brontë;Dépt-").append(u).append('\n');
                if (u < 5) {
                    byte[] png = PictureArchives.image("png", new java.awt.Color(40 * u, 120, 200), 240, 180);
                    Path file = Files.write(dir.resolve(user(u) + ".png"), png);
                    ops.add(op("op", "picture", "user", user(u), "file", file.toString()));
                    pictures.put(user(u) + ".png", png);
                }
            }

            Path opsFile = dir.resolve("ops.json");
            new ObjectMapper().writeValue(opsFile.toFile(), ops);
            moodle.judge(a, "apply-api.php", "--file=" + opsFile);
            try (SyncFixture sync = new SyncFixture(dir.resolve("feeds"), TestMoodle.jdbcUrl(b), TestMoodle.USER, TestMoodle.PASSWORD)) {
                sync.set(org.moodlesync.config.ConfigKeys.DATAROOT, moodle.dataroot().toString());
                ok(sync.feed("enrolments", "enrols.csv", enrols.toString()));
                ok(sync.feed("groups", "groups.csv", groups));
                ok(sync.feed("group-members", "groupmembers.csv", members.toString()));
                ok(sync.feed("cohorts", "cohorts.csv", cohorts.toString()));
                ok(sync.feed("cohort-courses", "cohortscourses.csv", "cohort;course;cmd;role;makegroup\nCOH-X;M6;add;student;1\n"));
                ok(sync.feed("courses-meta", "metacourses.csv", "master;meta;cmd\nM2;M5;add\n"));
                ok(sync.feed("users", "userimport.csv", profiles.toString()));
                ok(sync.app().process("pictures", PictureArchives.zip(dir.resolve("userpictures_members.zip"), pictures), false));
            }

            SiteComparison comparison = new SiteComparison(zone.getId(), 0, Set.of(), Set.of());
            JsonNode dumpA = moodle.judge(a, "dump.php");
            JsonNode dumpB = moodle.judge(b, "dump.php");
            comparison.compareDumps(dumpA, dumpB);
            for (String script : List.of("enrolments.php", "cohorts.php", "courses.php")) {
                comparison.compareApi(script, moodle.judge(a, script), moodle.judge(b, script));
            }
            String summary = comparison.summary("membership feeds against Moodle's APIs");
            System.out.println(summary);
            Files.writeString(SyncFixture.projectHome().resolve("target/differential-membership.txt"), summary, StandardCharsets.UTF_8);
            // the comparison compared something: B holds manual, cohort and meta enrolments, groups and a cohort
            JsonNode enrolled = dumpB.path("tables").path("user_enrolments");
            for (String method : List.of("/manual#", "/cohort#", "/meta#")) {
                assertTrue(enrolled.properties().stream().anyMatch(e -> e.getKey().contains(method)), method + " enrolments in B");
            }
            assertEquals(3, dumpB.path("tables").path("groups").size(), "Labo 1, Labo 2 and the cohort's group");
            assertEquals(10, dumpB.path("tables").path("user_info_data").size(), "profile field values in B");
            assertTrue(dumpB.path("tables").path("files").size() >= 20, "the icons of five pictures in B");
            moodle.assertCheckPasses(b, "membership feeds");
            assertEquals(List.of(), comparison.unexplained(), summary);
        }
    }

    private static String user(int u) {
        return "m" + String.format("%02d", u);
    }

    private static Map<String, Object> op(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void ok(RunSummary s) {
        assertEquals(0, s.failed(), s.oneLine());
    }
}
