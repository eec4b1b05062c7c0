package org.moodlesync.moodle;

import java.util.Locale;

/** Language code normalisation as tool_sync does it ({@code fr_utf8} → {@code fr}). Validation against the
 * installed language packs is done elsewhere. */
public final class LanguageRules {

    private static final String UTF8_SUFFIX = "_utf8";

    private LanguageRules() {
    }

    /** Trimmed, lower-cased, without a trailing {@code _utf8}; null stays null. */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith(UTF8_SUFFIX)) {
            s = s.substring(0, s.length() - UTF8_SUFFIX.length()).trim();
        }
        return s;
    }
}
