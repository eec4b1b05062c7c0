package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.moodle.MoodleUsers;
import org.moodlesync.moodle.PasswordHasher;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/** The users feeds through the real routes into a fresh Moodle database. */
class UsersFeedTest {
    static final String HEADER = "username;idnumber;firstname;lastname;email;auth;city;country;password\n";

    @TempDir
    Path tmp;
    SyncFixture sync;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp);
    }

    @AfterEach
    void stop() {
        sync.close();
    }

    @Test
    void createsAccountsAsUserCreateUserDoes() throws Exception {
        RunSummary s = sync.feed("users", "userimport.csv", HEADER
                + "Amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;fr;Secret-1\n"
                + "bdurand;S2;Bruno;Durand;bruno@example.org;cas;Lyon;FR;\n"
                + "dlambert;S4;Denis;Lambert;denis@example.org;ldap;Lyon;FR;\n"
                + "cleroy;S3;Chloé;Leroy;chloe@example.org;manual;Lyon;FR;*NOPASS*\n");

        assertEquals(4, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(0, s.failed());
        Map<String, String> alice = sync.row("SELECT * FROM mdl_user WHERE username = 'amartin'");
        assertEquals("S1", alice.get("idnumber"));
        assertEquals("1", alice.get("mnethostid"));
        assertEquals("1", alice.get("confirmed"));
        assertEquals("manual", alice.get("auth"));
        assertEquals("FR", alice.get("country"));
        assertEquals("en", alice.get("lang"));
        assertEquals("99", alice.get("timezone"));
        assertTrue(alice.get("password").startsWith("$6$rounds=10000$"), alice.get("password"));
        assertTrue(PasswordHasher.verify("Secret-1", alice.get("password")));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_user_preferences WHERE userid = ?::bigint AND name = 'auth_manual_passwordupdatetime'", alice.get("id")),
                "user_create_user() with a manual password records when it was set");
        assertTrue(Long.parseLong(alice.get("timecreated")) > 1_700_000_000L);
        assertEquals("not cached", sync.scalar("SELECT password FROM mdl_user WHERE username = 'bdurand'"));
        assertEquals("not cached", sync.scalar("SELECT password FROM mdl_user WHERE username = 'cleroy'"));
        // LDAP keeps a local copy of passwords unless auth_ldap/preventpassindb: no password given, none stored
        assertEquals("", sync.scalar("SELECT password FROM mdl_user WHERE username = 'dlambert'"));
        assertEquals("Chloé", sync.scalar("SELECT firstname FROM mdl_user WHERE username = 'cleroy'"));
        // each new user has its context /1/<ctx>, depth 2
        Map<String, String> ctx = sync.row("SELECT c.* FROM mdl_context c JOIN mdl_user u ON c.instanceid = u.id AND c.contextlevel = 30 WHERE u.username = 'amartin'");
        assertEquals("/1/" + ctx.get("id"), ctx.get("path"));
        assertEquals("2", ctx.get("depth"));
        sync.assertMoodleConsistent();
    }

    @Test
    void updateChangesOnlyThePresentColumnsAndUnchangedLinesWriteNothing() throws Exception {
        sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;Secret-1\n"
                + "bdurand;S2;Bruno;Durand;bruno@example.org;manual;Lyon;FR;Secret-2\n");
        sync.execute("UPDATE mdl_user SET institution = 'Lycée Hugo', department = 'Sciences' WHERE username = 'amartin'");
        String xminBefore = sync.scalar("SELECT xmin::text FROM mdl_user WHERE username = 'bdurand'");

        RunSummary s = sync.feed("users", "userimport.csv", "idnumber;username;firstname;lastname;email;city\n"
                + "S1;amartin;Alice;Martin-Dupont;alice.dupont@example.org;Paris\n"
                + "S2;bdurand;Bruno;Durand;bruno@example.org;Lyon\n");

        assertEquals(1, s.count(OutcomeType.UPDATED), s.oneLine());
        assertEquals(1, s.count(OutcomeType.UNCHANGED));
        Map<String, String> alice = sync.row("SELECT * FROM mdl_user WHERE username = 'amartin'");
        assertEquals("Martin-Dupont", alice.get("lastname"));
        assertEquals("alice.dupont@example.org", alice.get("email"), "an update may change the email (tool_sync bug 18)");
        assertEquals("Paris", alice.get("city"));
        assertEquals("Lycée Hugo", alice.get("institution"), "absent columns keep their value (tool_sync bug 17)");
        assertEquals("Sciences", alice.get("department"));
        assertEquals("FR", alice.get("country"));
        assertTrue(PasswordHasher.verify("Secret-1", alice.get("password")), "no password column leaves the password alone");
        assertEquals(xminBefore, sync.scalar("SELECT xmin::text FROM mdl_user WHERE username = 'bdurand'"), "an unchanged line does not rewrite the row");

        String allXmin = sync.scalar("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM mdl_user");
        RunSummary again = sync.feed("users", "userimport.csv", "idnumber;username;firstname;lastname;email;city\n"
                + "S1;amartin;Alice;Martin-Dupont;alice.dupont@example.org;Paris\n"
                + "S2;bdurand;Bruno;Durand;bruno@example.org;Lyon\n");
        assertEquals(2, again.count(OutcomeType.UNCHANGED), again.oneLine());
        assertEquals(allXmin, sync.scalar("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM mdl_user"));
        sync.assertMoodleConsistent();
    }

    @Test
    void samePasswordIsUnchangedAndNewPasswordIsRehashed() throws Exception {
        sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;Secret-1\n");
        RunSummary same = sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;Secret-1\n");
        assertEquals(1, same.count(OutcomeType.UNCHANGED), same.oneLine());
        RunSummary changed = sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;Secret-2\n");
        assertEquals(1, changed.count(OutcomeType.UPDATED));
        assertTrue(PasswordHasher.verify("Secret-2", sync.scalar("SELECT password FROM mdl_user WHERE username = 'amartin'")));
        RunSummary empty = sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;\n");
        assertEquals(1, empty.count(OutcomeType.UNCHANGED), "an empty password cell leaves the password alone (tool_sync bug 19)");
        assertTrue(PasswordHasher.verify("Secret-2", sync.scalar("SELECT password FROM mdl_user WHERE username = 'amartin'")));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user_preferences WHERE name = 'create_password'"));
    }

    @Test
    void createPasswordsAsksMoodleToMakeOne() throws Exception {
        sync.set("users.create-passwords", "true");
        sync.feed("users", "userimport.csv", "username;firstname;lastname;email\namartin;Alice;Martin;alice@example.org\n");
        String id = sync.scalar("SELECT id FROM mdl_user WHERE username = 'amartin'");
        assertEquals("1", sync.scalar("SELECT value FROM mdl_user_preferences WHERE userid = ?::bigint AND name = 'create_password'", id));
        assertEquals("1", sync.scalar("SELECT value FROM mdl_user_preferences WHERE userid = ?::bigint AND name = 'auth_forcepasswordchange'", id));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_cache_flags WHERE flagtype = 'userpreferenceschanged' AND name = ?", id));
    }

    @Test
    void suspendsAndReactivates() throws Exception {
        sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;\n"
                + "bdurand;S2;Bruno;Durand;bruno@example.org;manual;Lyon;FR;\n");
        RunSummary viaColumn = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;suspended\namartin;S1;Alice;Martin;1\n");
        assertEquals(1, viaColumn.count(OutcomeType.SUSPENDED), viaColumn.oneLine());
        assertEquals("1", sync.scalar("SELECT suspended FROM mdl_user WHERE username = 'amartin'"));

        RunSummary back = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;suspended\namartin;S1;Alice;Martin;0\n");
        assertEquals(1, back.count(OutcomeType.UPDATED));
        assertEquals("0", sync.scalar("SELECT suspended FROM mdl_user WHERE username = 'amartin'"));

        RunSummary file = sync.feed("users-suspend", "usersuspend.csv", "idnumber;username\nS2;bdurand\nS9;nobody\n");
        assertEquals(1, file.count(OutcomeType.SUSPENDED), file.oneLine());
        assertEquals(1, file.count(OutcomeType.UNCHANGED));
        assertEquals("1", sync.scalar("SELECT suspended FROM mdl_user WHERE username = 'bdurand'"));
        RunSummary again = sync.feed("users-suspend", "usersuspend.csv", "idnumber;username\nS2;bdurand\n");
        assertEquals(1, again.count(OutcomeType.UNCHANGED), "suspending twice changes nothing");
        RunSummary reactivate = sync.feed("users-suspend", "usersuspend.csv", "idnumber;suspended\nS2;0\n");
        assertEquals(1, reactivate.count(OutcomeType.UPDATED));
        assertEquals("0", sync.scalar("SELECT suspended FROM mdl_user WHERE username = 'bdurand'"));
        sync.assertMoodleConsistent();
    }

    @Test
    void deleteLeavesNothingBehindAndResurrectBringsBackTheSameAccount() throws Exception {
        sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;\n"
                + "bdurand;S2;Bruno;Durand;bruno@example.org;manual;Lyon;FR;\n");
        long id = sync.count("SELECT id FROM mdl_user WHERE username = 'amartin'");
        long ctx = sync.count("SELECT id FROM mdl_context WHERE contextlevel = 30 AND instanceid = ?", id);
        // what an enrolled, grouped, cohort member with preferences and profile data has in Moodle
        sync.execute("INSERT INTO mdl_enrol (enrol, courseid, roleid) VALUES ('manual', 1, 5)");
        sync.execute("INSERT INTO mdl_user_enrolments (enrolid, userid) SELECT max(id), ? FROM mdl_enrol", id);
        sync.execute("INSERT INTO mdl_role_assignments (roleid, contextid, userid) VALUES (5, 2, ?)", id);
        sync.execute("INSERT INTO mdl_user_preferences (userid, name, value) VALUES (?, 'email_bounce_count', '1')", id);
        sync.execute("INSERT INTO mdl_user_lastaccess (userid, courseid, timeaccess) VALUES (?, 1, 1)", id);
        sync.execute("INSERT INTO mdl_cohort (contextid, name, descriptionformat, timecreated, timemodified) VALUES (1, 'c', 1, 0, 0)");
        sync.execute("INSERT INTO mdl_cohort_members (cohortid, userid) SELECT max(id), ? FROM mdl_cohort", id);
        sync.execute("INSERT INTO mdl_user_info_field (shortname, name, datatype, categoryid) VALUES ('badge', 'Badge', 'text', 1)");
        sync.execute("INSERT INTO mdl_user_info_data (userid, fieldid, data) SELECT ?, max(id), 'B-1' FROM mdl_user_info_field", id);
        sync.execute("INSERT INTO mdl_files (contenthash, pathnamehash, contextid, component, filearea, itemid, filepath, filename, filesize, timecreated, timemodified)"
                + " VALUES ('x', 'y', ?, 'user', 'private', 0, '/', 'notes.txt', 1, 0, 0)", ctx);

        RunSummary zero = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;deleted\namartin;S1;Alice;Martin;0\n");
        assertEquals(0, zero.count(OutcomeType.DELETED), "deleted=0 is not a delete (tool_sync bug 16)");

        RunSummary del = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;deleted\namartin;S1;Alice;Martin;1\n");
        assertEquals(1, del.count(OutcomeType.DELETED), del.oneLine());
        Map<String, String> row = sync.row("SELECT * FROM mdl_user WHERE id = ?", id);
        assertEquals("1", row.get("deleted"));
        assertTrue(row.get("username").startsWith("alice@example.org."), row.get("username"));
        assertEquals(MoodleUsers.md5("amartin"), row.get("email"));
        assertEquals("", row.get("idnumber"));
        for (String table : List.of("user_enrolments", "role_assignments", "user_preferences", "user_lastaccess", "cohort_members", "user_info_data")) {
            assertEquals(0, sync.count("SELECT count(*) FROM mdl_" + table + " WHERE userid = ?", id), table);
        }
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_context WHERE contextlevel = 30 AND instanceid = ?", id));
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_files WHERE contextid = ?", ctx));
        sync.assertMoodleConsistent();

        RunSummary deleteAgain = sync.feed("users-delete", "userdelete.csv", "username\namartin\n");
        assertEquals(1, deleteAgain.count(OutcomeType.UNCHANGED), "deleting a deleted account changes nothing");

        RunSummary revive = sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;\n");
        assertEquals(1, revive.count(OutcomeType.REVIVED), revive.oneLine());
        assertEquals(0, revive.count(OutcomeType.CREATED));
        Map<String, String> back = sync.row("SELECT * FROM mdl_user WHERE username = 'amartin'");
        assertEquals(Long.toString(id), back.get("id"), "the same account comes back");
        assertEquals("0", back.get("deleted"));
        assertEquals("alice@example.org", back.get("email"));
        assertEquals("S1", back.get("idnumber"));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_context WHERE contextlevel = 30 AND instanceid = ?", id));
        sync.assertMoodleConsistent();
    }

    @Test
    void deleteFileDeletesByIdentityAndNeverTheAdmin() throws Exception {
        sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;\n"
                + "bdurand;S2;Bruno;Durand;bruno@example.org;manual;Lyon;FR;\n");
        RunSummary s = sync.feed("users-delete", "userdelete.csv", "idnumber;username\nS2;\n;admin\n;nobody\n");
        assertEquals(1, s.count(OutcomeType.DELETED), s.oneLine());
        assertEquals(1, s.count(OutcomeType.FAILED), "the site administrator is never deleted");
        assertEquals(1, s.count(OutcomeType.UNCHANGED));
        assertEquals("1", sync.scalar("SELECT deleted FROM mdl_user WHERE id = (SELECT max(id) FROM mdl_user)"));
        assertEquals("0", sync.scalar("SELECT deleted FROM mdl_user WHERE username = 'admin'"));
        assertEquals("0", sync.scalar("SELECT deleted FROM mdl_user WHERE username = 'amartin'"));
        sync.assertMoodleConsistent();
    }

    @Test
    void renamesWhenAllowedAndRenamingAgainIsUnchanged() throws Exception {
        sync.set("users.allow-rename", "true").set("users.identity", "username");
        sync.feed("users", "userimport.csv", HEADER + "amartin;S1;Alice;Martin;alice@example.org;manual;Lyon;FR;\n");
        long id = sync.count("SELECT id FROM mdl_user WHERE username = 'amartin'");
        String file = "username;oldusername;firstname;lastname\nalice.martin;amartin;Alice;Martin\n";
        RunSummary s = sync.feed("users", "userimport.csv", file);
        assertEquals(1, s.count(OutcomeType.UPDATED), s.oneLine());
        assertEquals(Long.toString(id), sync.scalar("SELECT id FROM mdl_user WHERE username = 'alice.martin'"));
        RunSummary again = sync.feed("users", "userimport.csv", file);
        assertEquals(1, again.count(OutcomeType.UNCHANGED), "a rename already done is unchanged: " + again.oneLine());
        RunSummary missing = sync.feed("users", "userimport.csv", "username;oldusername;firstname;lastname\nzz;nobody;Z;Z\n");
        assertEquals(1, missing.failed());
    }

    @Test
    void identityByIdnumberFollowsUsernameChangesAndAdoptsAccountsWithoutIdnumber() throws Exception {
        sync.feed("users", "userimport.csv", "username;firstname;lastname;email\nmanual1;Man;Ual;m1@example.org\n");
        RunSummary adopt = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname\nmanual1;X9;Man;Ual\n");
        assertEquals(1, adopt.count(OutcomeType.UPDATED), adopt.oneLine());
        assertEquals("X9", sync.scalar("SELECT idnumber FROM mdl_user WHERE username = 'manual1'"));
        RunSummary renamedInSis = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname\nmanual.one;X9;Man;Ual\n");
        assertEquals(1, renamedInSis.count(OutcomeType.UPDATED));
        assertEquals("X9", sync.scalar("SELECT idnumber FROM mdl_user WHERE username = 'manual.one'"));
    }

    @Test
    void courseColumnsEnrolTheUserOfTheLineForEveryN() throws Exception {
        sync.feed("courses", "uploadcourses.csv", "shortname;fullname\nPHY;Physics\nCHEM;Chemistry\nART;Art\n");
        String file = "username;firstname;lastname;course1;role1;enrol1;group1;course2;role2;enrol2;course3;role3\n"
                + "ann;Ann;One;PHY;student;manual;Lab A;CHEM;;manual;ART;teacher\n"
                + "bob;Bob;Two;NOPE;student;manual;;;;;;\n";
        RunSummary s = sync.feed("users", "userimport.csv", file);
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(1, s.failed(), "bob's course does not exist: his line goes to the tryback to be fed again");
        assertEquals(List.of("ART:teacher:-", "CHEM:student:manual", "PHY:student:manual"), sync.rows("SELECT co.shortname || ':' || r.shortname || ':'"
                + " || COALESCE((SELECT e.enrol FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid WHERE ue.userid = u.id AND e.courseid = co.id), '-') AS x"
                + " FROM mdl_role_assignments ra JOIN mdl_user u ON u.id = ra.userid JOIN mdl_role r ON r.id = ra.roleid"
                + " JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 50 JOIN mdl_course co ON co.id = x.instanceid"
                + " WHERE u.username = 'ann' ORDER BY 1").stream().map(r -> r.get("x")).toList(), "enrol2 is read for course2 (tool_sync bug 20)");
        assertEquals("Lab A", sync.scalar("SELECT g.name FROM mdl_groups_members m JOIN mdl_groups g ON g.id = m.groupid JOIN mdl_user u ON u.id = m.userid WHERE u.username = 'ann'"));
        RunSummary again = sync.feed("users", "userimport.csv", file.replace("NOPE", "PHY"));
        assertEquals(1, again.count(OutcomeType.UNCHANGED), again.oneLine());
        assertEquals(1, again.count(OutcomeType.UPDATED), "bob's account was made by the first run; now he is enrolled too");
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_user_enrolments ue JOIN mdl_user u ON u.id = ue.userid WHERE u.username = 'bob'"));
        sync.assertMoodleConsistent();
    }

    @Test
    void profileFieldsAreSavedAndCompared() throws Exception {
        sync.execute("INSERT INTO mdl_user_info_field (shortname, name, datatype, categoryid, param1) VALUES ('badge', 'Badge', 'text', 1, '30')");
        sync.execute("INSERT INTO mdl_user_info_field (shortname, name, datatype, categoryid, param1) VALUES ('house', 'House', 'menu', 1, 'Red' || chr(10) || 'Blue')");
        String file = "username;firstname;lastname;profile_field_badge;profile_field_house\namartin;Alice;Martin;B-42;Red\n";
        RunSummary s = sync.feed("users", "userimport.csv", file);
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("B-42", sync.scalar("SELECT d.data FROM mdl_user_info_data d JOIN mdl_user_info_field f ON f.id = d.fieldid WHERE f.shortname = 'badge'"));
        assertEquals("Red", sync.scalar("SELECT d.data FROM mdl_user_info_data d JOIN mdl_user_info_field f ON f.id = d.fieldid WHERE f.shortname = 'house'"));
        assertEquals(1, sync.feed("users", "userimport.csv", file).count(OutcomeType.UNCHANGED));
        RunSummary changed = sync.feed("users", "userimport.csv", file.replace("Red", "Blue"));
        assertEquals(1, changed.count(OutcomeType.UPDATED));
        RunSummary bad = sync.feed("users", "userimport.csv", file.replace("Red", "Green"));
        assertEquals(1, bad.failed());
        assertNull(sync.scalar("SELECT 1 FROM mdl_user_info_data WHERE data = 'Green'"));
        assertFalse(bad.tryback() == null);
    }
}
