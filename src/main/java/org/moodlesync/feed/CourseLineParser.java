package org.moodlesync.feed;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.moodlesync.moodle.SiteSettings;
import org.moodlesync.pipeline.CsvRecord;

/** Turns a courses-file record into a {@link CourseLine}, or says why Moodle would not accept it. */
final class CourseLineParser {
    static final Pattern TOPIC = Pattern.compile("topic(\\d+)");
    static final Pattern TEACHER = Pattern.compile("teacher(\\d+)_(account|role)");
    static final String DEFAULT_TEACHER_ROLE = "editingteacher";
    /** Text columns and their sizes in Moodle's course table. */
    private static final Map<String, Integer> TEXT = Map.of("fullname", 1333, "shortname", 255, "idnumber", 100, "summary", -1,
            "format", 21, "lang", 30, "theme", 50);
    /** Switch-like columns and the values Moodle accepts. */
    private static final Map<String, Set<Long>> CHOICES = Map.of("visible", Set.of(0L, 1L), "groupmode", Set.of(0L, 1L, 2L),
            "groupmodeforce", Set.of(0L, 1L), "showgrades", Set.of(0L, 1L), "enablecompletion", Set.of(0L, 1L), "showreports", Set.of(0L, 1L));
    private static final Pattern LANG = Pattern.compile("[a-z]{2,3}(_[a-z0-9]+)*");
    /** Moodle's own limit on numbered sections (moodlecourse/maxsections). */
    private final int maxSections;
    private final CoursesFeedSettings settings;
    private final SiteSettings site;
    private final ZoneId zone;

    CourseLineParser(CoursesFeedSettings settings, SiteSettings site) {
        this.settings = settings;
        this.site = site;
        this.zone = site.zone();
        this.maxSections = Integer.parseInt(site.plugin("moodlecourse", "maxsections", "52"));
    }

    static final class Invalid extends Exception {
        final String key;

        Invalid(String key, String message) {
            super(message, null, false, false);
            this.key = key;
        }
    }

    String keyOf(CsvRecord r) {
        String v = r.text(settings.identity()).trim();
        return v.isEmpty() ? "shortname=" + r.text("shortname").trim() : settings.identity() + "=" + v;
    }

    CourseLine parse(CsvRecord r) throws Invalid {
        String key = keyOf(r);
        if (r.readError() != null) {
            throw new Invalid(key, r.readError());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> col : TEXT.entrySet()) {
            if (!r.has(col.getKey())) {
                continue;
            }
            String v = r.get(col.getKey());
            if (col.getValue() > 0 && v.length() > col.getValue()) {
                throw new Invalid(key, col.getKey() + " is " + v.length() + " characters long; Moodle takes at most " + col.getValue());
            }
            values.put(col.getKey(), v);
        }
        for (String required : new String[] {"shortname", "fullname"}) {
            if (((String) values.getOrDefault(required, "")).isBlank()) {
                throw new Invalid(key, required + " is empty");
            }
        }
        String format = (String) values.get("format");
        if (format != null) {
            if (format.isEmpty()) {
                values.remove("format");
            } else if (!site.formatInstalled(format)) {
                throw new Invalid(key, "course format \"" + format + "\" is not installed in Moodle");
            }
        }
        String lang = (String) values.get("lang");
        if (lang != null && !lang.isEmpty() && !LANG.matcher(lang).matches()) {
            throw new Invalid(key, "language \"" + lang + "\" is not a language code");
        }
        for (Map.Entry<String, Set<Long>> col : CHOICES.entrySet()) {
            String v = r.text(col.getKey()).trim();
            if (!v.isEmpty()) {
                Long n = v.matches("\\d{1,2}") ? Long.valueOf(v) : null;
                if (n == null || !col.getValue().contains(n)) {
                    throw new Invalid(key, col.getKey() + " must be one of " + new java.util.TreeSet<>(col.getValue()) + ", not \"" + v + "\"");
                }
                values.put(col.getKey(), n);
            }
        }
        numberIn(r, key, "newsitems", 0, 10, values);
        numberIn(r, key, "maxbytes", 0, Long.MAX_VALUE, values);
        for (String date : new String[] {"startdate", "enddate"}) {
            String v = r.text(date).trim();
            if (date.equals("enddate") && v.equals("0")) {
                values.put(date, 0L); // Moodle's "no end date"
            } else if (!v.isEmpty()) {
                try {
                    values.put(date, DateValues.parse(date, v, zone));
                } catch (IllegalArgumentException e) {
                    throw new Invalid(key, e.getMessage());
                }
            }
        }
        if (values.containsKey("startdate") && values.containsKey("enddate") && (Long) values.get("enddate") != 0
                && (Long) values.get("enddate") < (Long) values.get("startdate")) {
            throw new Invalid(key, "enddate is before startdate");
        }
        Map<Integer, String[]> sections = new TreeMap<>();
        for (String column : r.header().columns()) {
            Matcher m = TOPIC.matcher(column);
            if (m.matches() && !r.text(column).isEmpty()) {
                int n = Integer.parseInt(m.group(1));
                if (n > maxSections) {
                    throw new Invalid(key, column + ": Moodle allows at most " + maxSections + " sections (moodlecourse/maxsections)");
                }
                String v = r.text(column);
                int bar = v.indexOf('|');
                sections.put(n, bar < 0 ? new String[] {v, null} : new String[] {v.substring(0, bar), v.substring(bar + 1)});
            }
        }
        String category = r.text("category").trim();
        String identityValue = r.text(settings.identity()).trim();
        if (settings.identity().equals("id") && !identityValue.isEmpty() && !identityValue.matches("\\d{1,18}")) {
            throw new Invalid(key, "id \"" + identityValue + "\" is not a course id");
        }
        java.util.List<String[]> teachers = new java.util.ArrayList<>();
        for (String column : r.header().columns()) {
            Matcher m = TEACHER.matcher(column);
            if (m.matches() && m.group(2).equals("account") && !r.text(column).isBlank()) {
                String role = r.text("teacher" + m.group(1) + "_role").trim();
                teachers.add(new String[] {r.text(column).trim().toLowerCase(java.util.Locale.ROOT), role.isEmpty() ? DEFAULT_TEACHER_ROLE : role, column});
            }
        }
        return new CourseLine(r, key, identityValue, values, category.isEmpty() ? null : category, sections,
                switchOf(r, key, "self"), switchOf(r, key, "guest"), teachers, r.text("template").isBlank() ? null : r.text("template").trim());
    }

    private static void numberIn(CsvRecord r, String key, String column, long min, long max, Map<String, Object> values) throws Invalid {
        String v = r.text(column).trim();
        if (v.isEmpty()) {
            return;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            values.put(column, n);
        } catch (NumberFormatException e) {
            throw new Invalid(key, column + " must be a whole number from " + min + (max == Long.MAX_VALUE ? "" : " to " + max) + ", not \"" + v + "\"");
        }
    }

    private static Boolean switchOf(CsvRecord r, String key, String column) throws Invalid {
        String v = r.text(column).trim();
        if (v.isEmpty()) {
            return null;
        }
        if (!v.equals("0") && !v.equals("1")) {
            throw new Invalid(key, column + " must be 1 (enable) or 0 (disable), not \"" + v + "\"");
        }
        return v.equals("1");
    }
}
