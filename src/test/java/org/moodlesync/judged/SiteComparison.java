package org.moodlesync.judged;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Site A (loaded with Moodle's own upload tools) against site B (loaded with moodle-sync), field by field:
 * every row of {@code judge/dump.php} (ids replaced by natural keys), every table's row count, and what
 * Moodle's APIs return through users.php, courses.php, enrolments.php, cohorts.php and tree.php.
 *
 * <p>A difference passes only when one of the named {@link Rule}s explains it; each rule says why that
 * difference is legitimate. Everything else is reported.
 */
final class SiteComparison {
    /** A difference: where (table or script, row key, column) and both values (null = absent). */
    record Difference(String where, String key, String column, String a, String b) {
        @Override
        public String toString() {
            return where + " [" + key + "] " + column + ": A (Moodle's tools) = " + a + ", B (moodle-sync) = " + b;
        }
    }

    /** A legitimate kind of difference, with the reason it is legitimate. */
    record Rule(String name, String why, BiPredicate<Difference, SiteComparison> explains) {
    }

    private static final Set<String> TIME_COLUMNS = Set.of("timecreated", "timemodified", "timeadded", "added", "cacherev",
            "timeaccess", "lastaccess", "firstaccess", "currentlogin", "lastlogin");

    static final List<Rule> RULES = List.of(
            new Rule("ids and times", "ids come from each site's own sequences (the dump replaces them by natural keys) and every"
                    + " tool stamps rows with its own clock", (d, s) -> TIME_COLUMNS.contains(d.column())),
            new Rule("password hash", "the salt is random, and the upload tool hashes with 5000 rounds where user_create_user() uses"
                    + " 10000; both are SHA-512 crypt, and login.php accepts both",
                    (d, s) -> d.where().equals("user") && d.column().equals("password") && d.a() != null && d.b() != null
                            && d.a().startsWith("$6$") && d.b().startsWith("$6$")),
            new Rule("time zone 99", "the upload tool's form fills the server's zone name; user_create_user(), which tool_sync calls,"
                    + " leaves 99 (server time), which Moodle resolves to that same zone",
                    (d, s) -> d.where().equals("user") && d.column().equals("timezone") && "99".equals(d.b()) && s.serverZone.equals(d.a())),
            new Rule("undated enrolment start", "without a start date, uploaduser.php starts the enrolment today at midnight;"
                    + " enrol_user() and tool_sync's files start it at 0 (no start), which Moodle treats as 'already started'",
                    (d, s) -> d.column().equals("timestart") && "0".equals(d.b()) && String.valueOf(s.today).equals(d.a())
                            && s.undated.stream().anyMatch(pair -> names(d.key(), pair))),
            new Rule("password update time", "user_create_user() with a password records auth_manual_passwordupdatetime, as"
                    + " moodle-sync does; uploaduser.php hashes the password itself and creates the user without it",
                    (d, s) -> d.where().equals("user_preferences") && d.key().endsWith("| auth_manual_passwordupdatetime") && d.a() == null
                            || d.where().equals("counts") && d.key().equals("user_preferences")),
            new Rule("default course start", "a course without a start date starts tomorrow: at this time by uploadcourse.php's"
                    + " clock (now + 24 h), at midnight for the course form and moodle-sync; its end date follows from it",
                    (d, s) -> (d.column().equals("startdate") || d.column().equals("enddate")) && s.undatedCourses.stream()
                            .anyMatch(c -> d.key().equals(c) || d.key().contains("shortname=" + c + "]"))
                            && d.a() != null && d.b() != null && Math.abs(Long.parseLong(d.a()) - Long.parseLong(d.b())) < 86400),
            new Rule("default format", "uploadcourse.php's command line does not pass the site's default format"
                    + " (moodlecourse/format) as its web form and the course form do, so a course without a format gets the column's"
                    + " 'topics'; moodle-sync follows the site's default, with that format's options and end date",
                    (d, s) -> !s.siteFormat.equals("topics") && (d.where().equals("counts") && d.key().equals("course_format_options")
                            || s.undatedCourses.stream().anyMatch(c -> d.key().equals(c) || d.key().startsWith("course:" + c + " ")
                                    || d.key().contains("shortname=" + c + "]"))
                            && (Set.of("format", "enddate").contains(d.column()) || d.where().equals("course_format_options")))),
            new Rule("messages", "Moodle's enrol_user() sends the course welcome message (enrol_manual's sendcoursewelcomemessage), kept"
                    + " as notifications; moodle-sync writes no Moodle message, as documented",
                    (d, s) -> d.where().equals("counts") && Set.of("notifications", "message_popup_notifications").contains(d.key())),
            new Rule("icon bytes", "Moodle's GD and moodle-sync's Java image code resample the same picture into PNG icons of"
                    + " other bytes (so another content hash and size); their rows, names and places are the same",
                    (d, s) -> d.where().equals("files") && Set.of("contenthash", "filesize").contains(d.column())),
            new Rule("logs", "moodle-sync writes no log rows (it fires no Moodle events, as documented); Moodle's tools log each change",
                    (d, s) -> d.where().equals("counts") && d.key().equals("logstore_standard_log")),
            new Rule("cache flags", "cache_flags rows are short-lived invalidation marks that each tool sets in its own way"
                    + " (Moodle's tools per request, moodle-sync per file)",
                    (d, s) -> d.where().equals("counts") && d.key().equals("cache_flags")));

    final String serverZone;
    final long today;
    final Set<String> undated;
    /** The site's default course format (moodlecourse/format). */
    String siteFormat = "topics";
    /** Shortnames of the courses the files give no start date (nor format). */
    final Set<String> undatedCourses;
    final List<Difference> differences = new ArrayList<>();

    SiteComparison(String serverZone, long today, Set<String> undated, Set<String> undatedCourses) {
        this.serverZone = serverZone;
        this.today = today;
        this.undated = undated;
        this.undatedCourses = undatedCourses;
    }

    /** Compares two dump.php outputs: the rows of every table, then the row counts. */
    void compareDumps(JsonNode a, JsonNode b) {
        Set<String> tables = new TreeSet<>();
        a.path("tables").fieldNames().forEachRemaining(tables::add);
        b.path("tables").fieldNames().forEachRemaining(tables::add);
        for (String table : tables) {
            JsonNode ra = a.path("tables").path(table);
            JsonNode rb = b.path("tables").path(table);
            Set<String> keys = new TreeSet<>();
            ra.fieldNames().forEachRemaining(keys::add);
            rb.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (!ra.has(key) || !rb.has(key)) {
                    differences.add(new Difference(table, key, "(row)", ra.has(key) ? "present" : null, rb.has(key) ? "present" : null));
                    continue;
                }
                Set<String> columns = new TreeSet<>();
                ra.get(key).fieldNames().forEachRemaining(columns::add);
                rb.get(key).fieldNames().forEachRemaining(columns::add);
                for (String column : columns) {
                    String va = text(ra.get(key).get(column));
                    String vb = text(rb.get(key).get(column));
                    if (!java.util.Objects.equals(va, vb)) {
                        differences.add(new Difference(table, key, column, va, vb));
                    }
                }
            }
        }
        Set<String> counted = new TreeSet<>();
        a.path("counts").fieldNames().forEachRemaining(counted::add);
        b.path("counts").fieldNames().forEachRemaining(counted::add);
        for (String table : counted) {
            String ca = text(a.path("counts").get(table));
            String cb = text(b.path("counts").get(table));
            if (!java.util.Objects.equals(ca, cb)) {
                differences.add(new Difference("counts", table, "rows", ca, cb));
            }
        }
    }

    /** Compares what a judge script printed for both sites, ids and context rows (made of ids) left out. */
    void compareApi(String script, JsonNode a, JsonNode b) {
        Map<String, String> fa = new LinkedHashMap<>();
        Map<String, String> fb = new LinkedHashMap<>();
        flatten("", normalise(a.deepCopy()), fa);
        flatten("", normalise(b.deepCopy()), fb);
        Set<String> paths = new TreeSet<>(fa.keySet());
        paths.addAll(fb.keySet());
        for (String path : paths) {
            if (!java.util.Objects.equals(fa.get(path), fb.get(path))) {
                String column = path.substring(path.lastIndexOf('.') + 1);
                differences.add(new Difference(script, path, column, fa.get(path), fb.get(path)));
            }
        }
    }

    private static final Set<String> ID_KEYS = Set.of("id", "courseid", "enrolid", "category", "roleid", "itemid", "contextid", "picture");

    /** Drops ids; keeps only level and depth of context rows; names array elements by a natural key and sorts them. */
    private static JsonNode normalise(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ID_KEYS.forEach(o::remove);
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = o.get(name);
                if (name.contains("context") && child instanceof ObjectNode ctx) {
                    ctx.remove(List.of("id", "path"));
                }
                o.set(name, normalise(child));
            }
        } else if (node instanceof ArrayNode arr) {
            List<JsonNode> items = new ArrayList<>();
            arr.forEach(item -> items.add(normalise(item)));
            items.sort(java.util.Comparator.comparing(SiteComparison::naturalKey));
            arr.removeAll();
            items.forEach(arr::add);
        }
        return node;
    }

    private static String naturalKey(JsonNode n) {
        for (String k : List.of("username", "shortname", "course", "name", "idnumber", "enrol", "role")) {
            if (n.has(k)) {
                return k + "=" + n.get(k).asText() + "|" + n;
            }
        }
        return n.toString();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String label = item.isObject() ? naturalKey(item).split("\\|")[0] : Integer.toString(i);
                flatten(prefix + "[" + label + "]", item, out);
            }
            out.put(prefix + ".length", Integer.toString(node.size()));
        } else {
            out.put(prefix, text(node));
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n instanceof TextNode t ? t.textValue() : n.asText();
    }

    /** Whether a row key (dump: user:NAME, course:SHORT) or an API path (username=NAME, course=SHORT) names the pair "user|course". */
    private static boolean names(String key, String pair) {
        String[] p = pair.split("\\|");
        return (key.contains("user:" + p[0] + " ") || key.endsWith("user:" + p[0]) || key.contains("username=" + p[0] + "]"))
                && (key.contains("course:" + p[1] + "/") || key.contains("course=" + p[1] + "]"));
    }

    /** The rule that explains a difference, or null. */
    Rule explanation(Difference d) {
        return RULES.stream().filter(r -> r.explains().test(d, this)).findFirst().orElse(null);
    }

    List<Difference> unexplained() {
        return differences.stream().filter(d -> explanation(d) == null).toList();
    }

    /** One line per rule with the number of differences it explained, then the unexplained ones. */
    String summary(String title) {
        StringBuilder s = new StringBuilder("Differential test, " + title + ": " + differences.size() + " differences, "
                + unexplained().size() + " unexplained\n");
        for (Rule r : RULES) {
            long n = differences.stream().filter(d -> explanation(d) == r).count();
            s.append("  ").append(String.format("%5d", n)).append("  ").append(r.name()).append(": ").append(r.why()).append('\n');
        }
        unexplained().stream().limit(60).forEach(d -> s.append("  UNEXPLAINED ").append(d).append('\n'));
        return s.toString();
    }
}
