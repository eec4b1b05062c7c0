package org.moodlesync.moodle;

import java.util.regex.Pattern;

/**
 * Moodle 5.0 {@code validate_email()} (lib/weblib.php):
 * <pre>
 *   if ($address === null || $address === false || $address === '') return false;
 *   return moodle_phpmailer::validateAddress($address) &amp;&amp; !preg_match('/[&lt;&gt;]/', $address);
 * </pre>
 * PHPMailer 6's default validator rejects "\n" and "\r" and then uses PHP's
 * {@code filter_var($address, FILTER_VALIDATE_EMAIL)} (no unicode flag): Michael Rushton's regex as modified in
 * php-src ext/filter/logical_filters.c, plus a 320-byte limit. This class ports that regex. Its two leading
 * length look-aheads (whole address at most 254 "units", local part at most 64) are evaluated by hand, and the
 * domain label loop uses atomic groups, because the literal PCRE pattern backtracks exponentially in
 * {@code java.util.regex} (PCRE stops at its backtrack limit and PHP then reports "invalid").
 *
 * <p>Compared with a simple dot-atom regex this accepts quoted local parts ({@code "john..doe"@example.com}; no spaces inside quotes)
 * and address literals ({@code user@[192.0.2.1]}, {@code user@[IPv6:...]}), requires a dot in the domain and a
 * top-level label starting with a letter (or {@code xn--}), labels shorter than 64 and rejects any non-ASCII
 * character. The 100-character user.email column limit is checked elsewhere.
 */
public final class EmailRules {

    /** PHP FILTER_VALIDATE_EMAIL byte limit; the regex itself caps addresses at 254. */
    public static final int PHP_MAX_LENGTH = 320;

    private static final String ATEXT = "[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2F-\\x39\\x3D\\x3F\\x5E-\\x7E]+";
    private static final String QUOTED = "\\x22(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]"
            + "|\\x5C[\\x00-\\x7F])*\\x22";
    private static final String WORD = "(?:" + ATEXT + "|" + QUOTED + ")";
    private static final String LOCAL = WORD + "(?:\\." + WORD + ")*";
    // PHP: (?!.*[^.]{64,})(?:(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\.){1,126}){1,}  -- ({1,126}){1,} == +, and a
    // label can only end right before its '.', so making it atomic does not change what matches.
    private static final String HOST = "(?!.*[^.]{64,})(?:(?>(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*)\\.)+"
            + "(?:[a-z][a-z0-9]*|xn--[a-z0-9]+)(?:-+[a-z0-9]+)*";
    private static final String IPV4 = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]"
            + "|1[0-9]{2}|[1-9]?[0-9])){3}";
    private static final String LITERAL = "\\[(?:"
            + "(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})"
            + "|(?:(?!(?:.*[a-f0-9][:\\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::"
            + "(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))"
            + "|(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)"
            + "|(?:(?!(?:.*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::"
            + "(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?" + IPV4 + ")"
            + ")\\]";
    /** Whole-string match ({@code matches()}), ASCII case-insensitive like PCRE's /i without /u. */
    private static final Pattern ADDRESS = Pattern.compile(LOCAL + "@(?:" + HOST + "|" + LITERAL + ")",
            Pattern.CASE_INSENSITIVE);

    private EmailRules() {
    }

    /** Would Moodle 5.0's validate_email() accept this address? Never throws. */
    public static boolean valid(String email) {
        if (email == null || email.isEmpty() || email.length() > PHP_MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < email.length(); i++) {
            char c = email.charAt(i);
            // non-ASCII never matches the (non-unicode) pattern; CR/LF: PHPMailer; < >: Moodle
            if (c > 0x7F || c == '\n' || c == '\r' || c == '<' || c == '>') {
                return false;
            }
        }
        return lengthLookaheadsPass(email) && ADDRESS.matcher(email).matches();
    }

    /**
     * The PCRE look-aheads {@code (?!U{255,})} and {@code (?!U{65,}@)} with
     * {@code U = (?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)}. Every unit holds exactly one "core"
     * (a backslash pair or a character other than '\' and '"'), with at most two quotes between cores and one
     * before the first, so the cores of the longest unit prefix are found by one left-to-right scan.
     */
    private static boolean lengthLookaheadsPass(String s) {
        int n = s.length();
        int pos = 0;
        int units = 0;
        int maxQuotes = 1;
        while (true) {
            int q = 0;
            while (pos + q < n && s.charAt(pos + q) == '"' && q < maxQuotes) {
                q++;
            }
            int core = pos + q;
            int end;
            if (core >= n) {
                break;
            }
            char c = s.charAt(core);
            if (c == '\\') {
                if (core + 1 >= n || s.charAt(core + 1) > 0x7E) {
                    break;
                }
                end = core + 2;
            } else if (c != '"') {
                end = core + 1;
            } else {
                break;
            }
            units++;
            if (units >= 255) {
                return false;
            }
            // U{k}@ with k >= 65: '@' right after this unit's core, or after one trailing quote
            if (units >= 65 && end < n && (s.charAt(end) == '@'
                    || (s.charAt(end) == '"' && end + 1 < n && s.charAt(end + 1) == '@'))) {
                return false;
            }
            pos = end;
            maxQuotes = 2;
        }
        return true;
    }
}
