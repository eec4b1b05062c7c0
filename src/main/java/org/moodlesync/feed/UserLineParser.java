package org.moodlesync.feed;

import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.moodlesync.moodle.CountryCodes;
import org.moodlesync.moodle.EmailRules;
import org.moodlesync.moodle.LanguageRules;
import org.moodlesync.moodle.ProfileField;
import org.moodlesync.moodle.SiteSettings;
import org.moodlesync.moodle.TimezoneRules;
import org.moodlesync.moodle.UserColumns;
import org.moodlesync.moodle.UsernameRules;
import org.moodlesync.pipeline.CsvRecord;

/**
 * Turns a users-file record into a {@link UserLine}, or says in one sentence why Moodle would
 * not accept it. Nothing here touches the database: the site settings and profile field
 * definitions were read once for the file.
 */
final class UserLineParser {
    static final String PROFILE_PREFIX = "profile_field_";
    /** tool_sync columns for user-table fields Moodle 4.x no longer has; read and ignored. */
    static final Set<String> OBSOLETE = Set.of("icq", "url", "htmleditor", "mnethostid");
    /** Cells whose empty value means "leave as it is" rather than "set empty": emptying them would lose an identity or break a login. */
    private static final Set<String> EMPTY_MEANS_ABSENT = Set.of("idnumber", "email", "auth", "lang", "timezone", "calendartype", "theme");
    private static final Pattern LANG = Pattern.compile("[a-z]{2,3}(_[a-z0-9]+)*");

    private final UsersFeedSettings settings;
    private final SiteSettings site;
    private final Map<String, ProfileField> profileFields;
    private final Set<String> languages;

    UserLineParser(UsersFeedSettings settings, SiteSettings site, Map<String, ProfileField> profileFields) {
        this.settings = settings;
        this.site = site;
        this.profileFields = profileFields;
        // The configured list, or else the site's own restriction (langlist), or else any well-formed code.
        this.languages = !settings.languages().isEmpty() ? settings.languages() : site.langList();
    }

    /** Thrown with the message that goes into the report. */
    static final class Invalid extends Exception {
        final String key;

        Invalid(String key, String message) {
            super(message, null, false, false);
            this.key = key;
        }
    }

    /** A profile field's short name, for report messages. */
    String fieldName(long fieldId) {
        return profileFields.values().stream().filter(f -> f.id() == fieldId).map(ProfileField::shortname).findFirst().orElse("#" + fieldId);
    }

    /** The key a line is reported under, even when it is invalid. */
    String keyOf(CsvRecord r) {
        String identity = settings.identity();
        String value = r.text(identity).trim();
        if (!identity.equals("username") && !value.isEmpty()) {
            return identity + "=" + (identity.equals("email") ? value.toLowerCase(Locale.ROOT) : value);
        }
        return "username=" + r.text("username").trim().toLowerCase(Locale.ROOT);
    }

    UserLine parse(CsvRecord r) throws Invalid {
        String key = keyOf(r);
        if (r.readError() != null) {
            throw new Invalid(key, r.readError());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        String username = r.text("username").trim().toLowerCase(Locale.ROOT);
        if (username.isEmpty()) {
            throw new Invalid(key, "username is empty");
        }
        String problem = UsernameRules.problem(username, site.extendedUsernameChars());
        if (problem != null) {
            throw new Invalid(key, problem);
        }
        values.put("username", username);
        for (String required : new String[] {"firstname", "lastname"}) {
            if (r.text(required).isEmpty()) {
                throw new Invalid(key, required + " is empty");
            }
        }
        for (Map.Entry<String, Integer> col : UserColumns.TEXT.entrySet()) {
            String name = col.getKey();
            if (name.equals("username") || name.equals("password") || !r.has(name)) {
                continue;
            }
            String v = r.get(name);
            if (v.isEmpty() && EMPTY_MEANS_ABSENT.contains(name)) {
                continue;
            }
            if (col.getValue() > 0 && v.length() > col.getValue()) {
                throw new Invalid(key, name + " is " + v.length() + " characters long; Moodle takes at most " + col.getValue());
            }
            values.put(name, normalise(key, name, v));
        }
        for (Map.Entry<String, Set<Integer>> flag : UserColumns.FLAGS.entrySet()) {
            String v = r.text(flag.getKey());
            if (v.isEmpty()) {
                continue;
            }
            Integer n = v.matches("\\d{1,2}") ? Integer.valueOf(v) : null;
            if (n == null || !flag.getValue().contains(n)) {
                throw new Invalid(key, flag.getKey() + " must be one of " + new java.util.TreeSet<>(flag.getValue()) + ", not \"" + v + "\"");
            }
            values.put(flag.getKey(), n);
        }
        String deleted = r.text("deleted");
        if (!deleted.isEmpty() && !deleted.equals("0") && !deleted.equals("1")) {
            throw new Invalid(key, "deleted must be 1 (delete the account), 0 or empty, not \"" + deleted + "\"");
        }
        String password = r.text("password");
        if (password.length() > 0 && password.length() > 1000) {
            throw new Invalid(key, "password is longer than 1000 characters");
        }
        Map<Long, String> profile = new HashMap<>();
        for (String column : r.header().columns()) {
            if (!column.startsWith(PROFILE_PREFIX)) {
                continue;
            }
            String v = r.text(column);
            ProfileField field = profileFields.get(column.substring(PROFILE_PREFIX.length()));
            if (field == null) {
                if (!v.isEmpty()) {
                    throw new Invalid(key, "profile field \"" + column.substring(PROFILE_PREFIX.length()) + "\" does not exist in Moodle");
                }
                continue;
            }
            String fieldProblem = field.problem(v);
            if (fieldProblem != null) {
                throw new Invalid(key, fieldProblem);
            }
            profile.put(field.id(), v);
        }
        String oldUsername = null;
        if (settings.allowRename() && !r.text("oldusername").isEmpty()) {
            oldUsername = r.text("oldusername").trim().toLowerCase(Locale.ROOT);
            if (oldUsername.equals(username)) {
                oldUsername = null;
            }
        }
        String identity = settings.identity();
        String identityValue = identity.equals("username") ? username : (String) values.get(identity);
        String identityColumn = identityValue == null || identityValue.isEmpty() ? "username" : identity;
        if (identityColumn.equals("username")) {
            identityValue = username;
        }
        return new UserLine(r, username, values, password.isEmpty() ? null : password, profile, oldUsername,
                identityColumn, identityValue, key, enrolments(r, key, username));
    }

    static final Pattern COURSE_COLUMN = Pattern.compile("(course|role|enrol|start|end|group)(\\d+)");

    /**
     * tool_sync §2.1.5, for every N (tool_sync read only enrol1: bug 20): course&lt;N&gt; names a
     * course; role&lt;N&gt; the role (student when only enrol&lt;N&gt; is given); enrol&lt;N&gt; the
     * enrolment method, or a plain role assignment when it is absent or empty; start&lt;N&gt; and
     * end&lt;N&gt; the dates; group&lt;N&gt; a group, created when missing.
     */
    private List<EnrolLine> enrolments(CsvRecord r, String key, String username) throws Invalid {
        java.util.TreeSet<Integer> numbers = new java.util.TreeSet<>();
        for (String column : r.header().columns()) {
            java.util.regex.Matcher m = COURSE_COLUMN.matcher(column);
            if (m.matches() && m.group(1).equals("course")) {
                numbers.add(Integer.parseInt(m.group(2)));
            }
        }
        List<EnrolLine> lines = new java.util.ArrayList<>();
        for (int n : numbers) {
            String course = r.text("course" + n).trim();
            String role = r.text("role" + n).trim();
            String enrol = r.text("enrol" + n).trim().toLowerCase(Locale.ROOT);
            if (course.isEmpty() || (role.isEmpty() && enrol.isEmpty())) {
                continue;
            }
            Long start;
            Long end;
            try {
                start = r.text("start" + n).isBlank() ? null : Long.valueOf(DateValues.parse("start" + n, r.text("start" + n), site.zone()));
                end = r.text("end" + n).isBlank() ? null : r.text("end" + n).trim().equals("0") ? Long.valueOf(0)
                        : Long.valueOf(DateValues.parse("end" + n, r.text("end" + n), site.zone()));
            } catch (IllegalArgumentException e) {
                throw new Invalid(key, e.getMessage());
            }
            if (start != null && end != null && end != 0 && end < start) {
                throw new Invalid(key, "end" + n + " is before start" + n);
            }
            String group = r.text("group" + n).trim();
            lines.add(new EnrolLine(r, key + "|course" + n + "=" + course, "add", role.isEmpty() ? "student" : role, course, username,
                    enrol.isEmpty() ? null : enrol, start, end, group.isEmpty() ? null : "gaddcreate", group.isEmpty() ? List.of() : List.of(group)));
        }
        return lines;
    }

    private Object normalise(String key, String column, String v) throws Invalid {
        switch (column) {
            case "email":
                if (!EmailRules.valid(v)) {
                    throw new Invalid(key, "email \"" + v + "\" is not a valid address");
                }
                return v;
            case "auth":
                String auth = v.toLowerCase(Locale.ROOT);
                if (!site.authInstalled(auth)) {
                    throw new Invalid(key, "auth plugin \"" + v + "\" is not installed in Moodle (installed: "
                            + String.join(", ", site.installedAuths()) + ")");
                }
                return auth;
            case "country":
                String country = v.toUpperCase(Locale.ROOT);
                if (!country.isEmpty() && !CountryCodes.valid(country)) {
                    throw new Invalid(key, "country \"" + v + "\" is not an ISO 3166 two-letter code Moodle knows");
                }
                return country;
            case "lang":
                String lang = LanguageRules.normalise(v);
                boolean known = languages.isEmpty() ? LANG.matcher(lang).matches() : languages.contains(lang);
                if (!known) {
                    throw new Invalid(key, "language \"" + v + "\" is not " + (languages.isEmpty()
                            ? "a language code" : "installed (installed: " + String.join(", ", new java.util.TreeSet<>(languages)) + ")"));
                }
                return lang;
            case "timezone":
                if (!TimezoneRules.valid(v)) {
                    throw new Invalid(key, "timezone \"" + v + "\" is not a time zone Moodle knows (use 99 or a name such as Europe/Paris)");
                }
                return v;
            default:
                return v;
        }
    }
}
