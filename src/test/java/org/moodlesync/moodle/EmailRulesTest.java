package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmailRulesTest {

    @Test
    void accepts() {
        for (String e : new String[] {
            "jean.dupont@example.com", "Jean.Dupont@Example.COM", "a@b.co", "first.last+tag@sub.domain.example.org",
            "user_name-1@my-domain.fr", "o'brien@example.ie", "x!#$%&'*+/=?^_`{|}~-@example.com",
            "admin@xn--bcher-kva.example", "a@b.xn--p1ai", "\"john..doe\"@example.com", "\"a\\\"b\"@example.com",
            "user@[192.168.0.1]", "user@[IPv6:2001:db8::1]", "user@[IPv6:2001:db8:0:0:0:0:0:1]",
            "1234567890@example.com", "a@a.b-c", "a@1.example", "a@a--b.com",
            "l".repeat(64) + "@example.com", "a@" + "d".repeat(63) + ".com",
        }) {
            assertTrue(EmailRules.valid(e), e);
        }
    }

    @Test
    void rejects() {
        for (String e : new String[] {
            null, "", " ", "plainaddress", "\"john doe\"@example.com", "@example.com", "user@", "user@localhost", "user@example", "user@.com",
            "user@example..com", "user@-example.com", "user@example-.com", "user@example.com.", "user@example.123",
            "user@123.123.123.123", ".user@example.com", "user.@example.com", "us..er@example.com",
            "jean dupont@example.com", "jean@dupont@example.com", "jéan@example.com", "jean@exämple.com",
            "<jean@example.com>", "\"<a>\"@example.com", "jean@example.com\n", "jean@example.com\r",
            " jean@example.com", "jean@example.com ", "jean@exa_mple.com", "user@[300.1.1.1]", "user@[1.2.3]",
            "(comment)user@example.com", "user@example.com,other@example.com", "user;x@example.com",
            "l".repeat(65) + "@example.com", "a@" + "d".repeat(64) + ".com",
            "a@" + "abcdefghi.".repeat(25) + "com", // 254 + chars
        }) {
            assertFalse(EmailRules.valid(e), String.valueOf(e));
        }
    }

    @Test
    void totalLengthLimitIs254() {
        String domain = ("d".repeat(60) + ".").repeat(4); // 244
        String ok = "a".repeat(254 - 1 - domain.length() - 3) + "@" + domain + "com";
        assert ok.length() == 254;
        assertTrue(EmailRules.valid(ok));
        assertFalse(EmailRules.valid("a" + ok));
    }

    @Test
    void pathologicalInputsAreFast() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertFalse(EmailRules.valid("a\"".repeat(150)));
            assertFalse(EmailRules.valid("a@" + "xn--a.".repeat(45) + "-"));
            assertFalse(EmailRules.valid("a@" + "a.".repeat(120) + "!"));
            assertFalse(EmailRules.valid("\"" + "\\a".repeat(100) + "@example.com"));
            assertFalse(EmailRules.valid("a@[IPv6:" + "1:".repeat(60) + "]"));
        });
    }
}
