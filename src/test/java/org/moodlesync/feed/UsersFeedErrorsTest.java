package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** Bad lines fail one by one with a clear message and a tryback line; the good lines of the same file are applied. */
class UsersFeedErrorsTest {
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

    private int goodLines;

    /** Feeds one good line and one bad line; returns the bad line's report row. */
    private String failureOf(String header, String badLine) throws Exception {
        String good = header.startsWith("username;firstname;lastname") ? "good" + (++goodLines) + ";Good;Line" + header.substring("username;firstname;lastname".length()).replaceAll("[^;]+", "") : null;
        StringBuilder file = new StringBuilder(header).append('\n');
        if (good != null) {
            file.append(good).append('\n');
        }
        file.append(badLine).append('\n');
        RunSummary s = sync.feed("users", "userimport.csv", file.toString());
        assertEquals(1, s.failed(), s.oneLine());
        if (good != null) {
            assertEquals(1, s.count(OutcomeType.CREATED), "the good line is applied: " + s.oneLine());
        }
        assertNotNull(s.tryback());
        List<String> tryback = Files.readAllLines(s.tryback());
        assertEquals(List.of(header, badLine), tryback, "the tryback holds the header and the bad line as they were");
        String report = Files.readString(s.reportCsv());
        String row = report.lines().filter(l -> l.contains(",failed,")).findFirst().orElseThrow();
        return row;
    }

    @Test
    void aControlCharacterFailsTheLineNamingTheColumnAndTheByte() throws Exception {
        String row = failureOf("username;firstname;lastname", "nul;\u0000Alice;Martin");
        assertTrue(row.contains("column firstname: control character 0x00 at byte 5"), row);
        assertTrue(!row.contains("\u0000"), "the report shows no raw NUL: " + row);
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'nul'"), "not stored as 'Alice'");
    }

    @Test
    void aHeaderOfThousandsOfUnknownColumnsNamesTwentyAndCountsTheRest() throws Exception {
        StringBuilder header = new StringBuilder("username;firstname;lastname");
        for (int i = 0; i < 10_000; i++) {
            header.append(";junk").append(i);
        }
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> sync.feed("users", "userimport.csv", header + "\nann;Ann;One" + ";".repeat(10_000) + "\n"));
        String message = org.moodlesync.cli.MoodleSyncCliTestAccess.rejection(e);
        assertTrue(message.contains("and 9980 more"), message.length() > 500 ? message.substring(0, 500) : message);
        assertTrue(message.length() < 2_000, "a readable line: " + message.length() + " characters");
    }

    @Test
    void invalidUsername() throws Exception {
        assertTrue(failureOf("username;firstname;lastname", "jean dupont;Jean;Dupont").contains("not allow"));
        assertTrue(failureOf("username;firstname;lastname", "jérôme;Jérôme;X").contains("not allow"));
    }

    @Test
    void emptyRequiredValue() throws Exception {
        assertTrue(failureOf("username;firstname;lastname", "nofirst;;Dupont").contains("firstname is empty"));
        assertTrue(failureOf("username;firstname;lastname", ";No;Name").contains("username is empty"));
    }

    @Test
    void valueLongerThanMoodlesColumn() throws Exception {
        String row = failureOf("username;firstname;lastname;phone1", "longphone;Long;Phone;" + "1".repeat(21));
        assertTrue(row.contains("phone1 is 21 characters long"), row);
        String name = failureOf("username;firstname;lastname", "longname;" + "x".repeat(101) + ";Y");
        assertTrue(name.contains("firstname"), name);
    }

    @Test
    void invalidEmailCountryLanguageTimezoneAuthAndFlags() throws Exception {
        assertTrue(failureOf("username;firstname;lastname;email", "bademail;A;B;a(at)example.org").contains("not a valid address"));
        assertTrue(failureOf("username;firstname;lastname;country", "badcountry;A;B;XX").contains("ISO 3166"));
        assertTrue(failureOf("username;firstname;lastname;lang", "badlang;A;B;français!").contains("language"));
        assertTrue(failureOf("username;firstname;lastname;timezone", "badtz;A;B;Mars/Olympus").contains("timezone"));
        assertTrue(failureOf("username;firstname;lastname;auth", "badauth;A;B;kerberos").contains("not installed"));
        assertTrue(failureOf("username;firstname;lastname;maildisplay", "badflag;A;B;7").contains("maildisplay"));
    }

    @Test
    void deletedTakesOnlyZeroOrOne() throws Exception {
        assertTrue(failureOf("username;firstname;lastname;deleted", "maybe;A;B;yes").contains("deleted must be 1"));
    }

    @Test
    void feedsNeverChangeTheAdminOrTheGuest() throws Exception {
        RunSummary s = sync.feed("users", "userimport.csv", "username;firstname;lastname;password;suspended\nadmin;Evil;Admin;Hacked-1;0\nguest;Guest;User;x;1\n");
        assertEquals(2, s.failed(), s.oneLine());
        assertEquals("Admin", sync.scalar("SELECT firstname FROM mdl_user WHERE username = 'admin'"));
        assertEquals("0", sync.scalar("SELECT suspended FROM mdl_user WHERE username = 'guest'"));
    }

    @Test
    void sameUserTwiceInOneFile() throws Exception {
        RunSummary s = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname\nann;A1;Ann;One\nann2;A1;Ann;Two\nann;A3;Ann;Three\n");
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(2, s.failed());
        assertTrue(Files.readString(s.reportCsv()).contains("already on line 2"));
    }

    @Test
    void identityCollisions() throws Exception {
        sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;email\nann;A1;Ann;One;ann@example.org\nbob;B1;Bob;Two;bob@example.org\n");
        // another account already has this username with another idnumber
        RunSummary user = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname\nbob;C1;Bob;Three\n");
        assertEquals(1, user.failed());
        assertTrue(Files.readString(user.reportCsv()).contains("username collision"));
        // the idnumber is ann's, the username is bob's
        RunSummary both = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname\nbob;A1;Ann;One\n");
        assertTrue(Files.readString(both.reportCsv()).contains("username collision"), Files.readString(both.reportCsv()));
        // email already used by another account (allowaccountssameemail is off)
        RunSummary email = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;email\ncat;C2;Cat;Four;ANN@example.org\n");
        assertEquals(1, email.failed(), email.oneLine());
        assertTrue(Files.readString(email.reportCsv()).contains("email collision"));
        // ...which a site allowing shared emails accepts
        sync.execute("UPDATE mdl_config SET value = '1' WHERE name = 'allowaccountssameemail'");
        RunSummary allowed = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;email\ncat;C2;Cat;Four;ann@example.org\n");
        assertEquals(1, allowed.count(OutcomeType.CREATED), allowed.oneLine());
    }

    @Test
    void protectEmailsKeepsExistingEmailsButFillsEmptyOnes() throws Exception {
        sync.set("users.protect-emails", "true");
        sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;email\nann;A1;Ann;One;ann@example.org\nbob;B1;Bob;Two;\n");
        RunSummary s = sync.feed("users", "userimport.csv", "username;idnumber;firstname;lastname;email\nann;A1;Ann;One;other@example.org\nbob;B1;Bob;Two;bob@example.org\n");
        assertEquals(1, s.count(OutcomeType.UNCHANGED), s.oneLine());
        assertEquals(1, s.count(OutcomeType.UPDATED));
        assertEquals("ann@example.org", sync.scalar("SELECT email FROM mdl_user WHERE username = 'ann'"));
        assertEquals("bob@example.org", sync.scalar("SELECT email FROM mdl_user WHERE username = 'bob'"));
    }

    @Test
    void unknownProfileField() throws Exception {
        String row = failureOf("username;firstname;lastname;profile_field_nosuch", "pf;A;B;value");
        assertTrue(row.contains("does not exist"), row);
    }

    @Test
    void laterFeedColumnsAndUnknownColumnsRejectTheFileWithTheirNames() throws Exception {
        Path file = sync.write("userimport.csv", "username;firstname;lastname;wwwroot1;colour\nann;Ann;One;https://x;red\n");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> sync.app().process("users", file, false));
        String message = org.moodlesync.cli.MoodleSyncCliTestAccess.rejection(e);
        assertTrue(message.contains("wwwroot1") && message.contains("MNET propagation is not supported"), message);
        assertTrue(message.contains("unknown column colour"), message);
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'ann'"));
        Path missing = sync.write("userimport.csv", "username;lastname\nann;One\n");
        RuntimeException m = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> sync.app().process("users", missing, false));
        assertTrue(org.moodlesync.cli.MoodleSyncCliTestAccess.rejection(m).contains("missing required column firstname"));
    }

    @Test
    void unknownColumnsAreIgnoredWhenAllowed() throws Exception {
        sync.set("sync.allow-unknown-columns", "true");
        RunSummary s = sync.feed("users", "userimport.csv", "username;firstname;lastname;colour\nann;Ann;One;red\n");
        assertEquals(1, s.count(OutcomeType.CREATED));
        Map<String, String> ann = sync.row("SELECT firstname FROM mdl_user WHERE username = 'ann'");
        assertEquals("Ann", ann.get("firstname"));
    }
}
