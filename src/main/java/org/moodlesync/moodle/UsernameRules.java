package org.moodlesync.moodle;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Moodle's {@code clean_param($v, PARAM_USERNAME)} (Moodle 5.0: {@code \core\param::USERNAME}):
 * <pre>
 *   $param = trim($param);                       // PHP trim: " \t\n\r\0\x0B" at both ends only
 *   $param = core_text::strtolower($param);      // Unicode lower case
 *   if (empty($CFG->extendedusernamechars)) {
 *       $param = str_replace(" ", "", $param);
 *       $param = preg_replace('/[^-\.@_a-z0-9]/', '', $param);
 *   }
 * </pre>
 * A username is accepted by Moodle (admin/tool/uploaduser, core_user::clean_field) only if it equals its cleaned
 * form; the user.username column is 100 characters.
 */
public final class UsernameRules {

    public static final int MAX_LENGTH = 100;
    public static final String ALLOWED = "a-z 0-9 . - _ @";

    private UsernameRules() {
    }

    /** {@code clean_param($raw, PARAM_USERNAME)}; null becomes "". */
    public static String clean(String raw, boolean extendedChars) {
        if (raw == null) {
            return "";
        }
        String s = phpTrim(raw).toLowerCase(Locale.ROOT);
        if (extendedChars) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (allowed(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Null if {@code raw} (lower-cased: upper case is not a problem, the feed lower-cases usernames) is a valid
     * Moodle username, otherwise a message saying why not.
     */
    public static String problem(String raw, boolean extendedChars) {
        if (raw == null || raw.isEmpty()) {
            return "username is empty";
        }
        String lowered = raw.toLowerCase(Locale.ROOT);
        String cleaned = clean(raw, extendedChars);
        if (phpTrim(raw).isEmpty()) {
            return "username is empty";
        }
        if (!cleaned.equals(lowered)) {
            if (extendedChars) {
                return "username \"" + raw + "\" has leading or trailing whitespace";
            }
            Set<String> bad = new LinkedHashSet<>();
            for (int i = 0; i < lowered.length(); ) {
                int cp = lowered.codePointAt(i);
                if (cp > 0xffff || !allowed((char) cp)) {
                    bad.add(describe(cp));
                }
                i += Character.charCount(cp);
            }
            return "username \"" + raw + "\" contains characters Moodle does not allow (" + String.join(", ", bad)
                    + "); allowed: " + ALLOWED;
        }
        if (lowered.codePointCount(0, lowered.length()) > MAX_LENGTH) {
            return "username is longer than " + MAX_LENGTH + " characters";
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '@' || c == '_';
    }

    private static String describe(int cp) {
        switch (cp) {
            case ' ':
                return "space";
            case '\t':
                return "tab";
            case '\n':
                return "line feed";
            case '\r':
                return "carriage return";
            case 0x00a0:
                return "no-break space";
            default:
                if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                        || Character.getType(cp) == Character.FORMAT) {
                    return String.format("U+%04X", cp);
                }
                return new String(Character.toChars(cp));
        }
    }

    /** PHP's trim(): strips " ", "\t", "\n", "\r", "\0" and "\x0B" from both ends, nothing else. */
    static String phpTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPhpTrimChar(s.charAt(start))) {
            start++;
        }
        while (end > start && isPhpTrimChar(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isPhpTrimChar(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == 0x0B;
    }
}
