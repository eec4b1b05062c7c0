package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class UsernameRulesTest {

    @Test
    void cleanLikeMoodle() {
        assertEquals("jeandupont", UsernameRules.clean("  Jean Dupont\t", false));
        assertEquals("jean dupont", UsernameRules.clean("  Jean Dupont\t", true));
        assertEquals("jrme", UsernameRules.clean("Jérôme", false));
        assertEquals("jérôme", UsernameRules.clean("JÉRÔME", true));
        assertEquals("a.b-c_d@e1", UsernameRules.clean("A.B-C_D@E1", false));
        assertEquals("ab", UsernameRules.clean("a+b/", false));
        assertEquals("a+b/", UsernameRules.clean("a+b/", true));
        assertEquals("", UsernameRules.clean(null, false));
        // PHP trim() only strips " \t\n\r\0\x0B": a no-break space survives trim (and goes in strict mode)
        assertEquals("\u00a0x", UsernameRules.clean("\u00a0X", true));
        assertEquals("x", UsernameRules.clean("\u00a0X", false));
    }

    @Test
    void validUsernames() {
        for (String u : new String[] {"jdupont", "JDupont", "jean.dupont", "jean-dupont_2", "jean@example.com", "123",
            "x".repeat(100)}) {
            assertNull(UsernameRules.problem(u, false), u);
            assertNull(UsernameRules.problem(u, true), u);
        }
        assertNull(UsernameRules.problem("jérôme", true));
        assertNull(UsernameRules.problem("jean dupont", true));
    }

    @Test
    void problems() {
        assertEquals("username \"Jean Dupont\" contains characters Moodle does not allow (space); allowed: a-z 0-9 . - _ @",
                UsernameRules.problem("Jean Dupont", false));
        assertEquals("username \"Jérôme O'Brien\" contains characters Moodle does not allow (é, ô, space, '); "
                + "allowed: a-z 0-9 . - _ @", UsernameRules.problem("Jérôme O'Brien", false));
        assertEquals("username \"a\tb\" contains characters Moodle does not allow (tab); allowed: a-z 0-9 . - _ @",
                UsernameRules.problem("a\tb", false));
        assertEquals("username is empty", UsernameRules.problem("", false));
        assertEquals("username is empty", UsernameRules.problem(null, true));
        assertEquals("username is empty", UsernameRules.problem("   ", true));
        assertEquals("username is longer than 100 characters", UsernameRules.problem("x".repeat(101), false));
        assertEquals("username is longer than 100 characters", UsernameRules.problem("é".repeat(101), true));
        assertEquals("username \" jdupont\" has leading or trailing whitespace", UsernameRules.problem(" jdupont", true));
        assertEquals("username \"jdupont \" contains characters Moodle does not allow (space); allowed: a-z 0-9 . - _ @",
                UsernameRules.problem("jdupont ", false));
        assertEquals("username \"a\u200bb\" contains characters Moodle does not allow (U+200B); allowed: a-z 0-9 . - _ @",
                UsernameRules.problem("a\u200bb", false));
    }
}
