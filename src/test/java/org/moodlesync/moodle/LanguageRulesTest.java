package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LanguageRulesTest {

    @Test
    void normalise() {
        assertEquals("fr", LanguageRules.normalise("fr_utf8"));
        assertEquals("fr", LanguageRules.normalise(" FR_UTF8 "));
        assertEquals("en", LanguageRules.normalise("en"));
        assertEquals("pt_br", LanguageRules.normalise("pt_BR"));
        assertEquals("pt_br", LanguageRules.normalise("pt_br_utf8"));
        assertEquals("fr_ca", LanguageRules.normalise("Fr_CA "));
        assertEquals("utf8", LanguageRules.normalise("utf8"));
        assertEquals("", LanguageRules.normalise("  "));
        assertNull(LanguageRules.normalise(null));
    }
}
