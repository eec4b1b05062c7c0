package org.moodlesync.moodle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The columns of Moodle's user table that feeds may set, with their sizes in Moodle 5.0 (and
 * 4.1: none of these changed), so values are checked before the database would reject them.
 */
public final class UserColumns {
    private UserColumns() {
    }

    /** Text columns and their maximum length in characters; -1 for unbounded text. */
    public static final Map<String, Integer> TEXT;
    /** Small integer columns and the values Moodle accepts. */
    public static final Map<String, Set<Integer>> FLAGS;

    static {
        Map<String, Integer> t = new LinkedHashMap<>();
        t.put("auth", 20);
        t.put("username", 100);
        t.put("password", 255);
        t.put("idnumber", 255);
        t.put("firstname", 100);
        t.put("lastname", 100);
        t.put("email", 100);
        t.put("phone1", 20);
        t.put("phone2", 20);
        t.put("institution", 255);
        t.put("department", 255);
        t.put("address", 255);
        t.put("city", 120);
        t.put("country", 2);
        t.put("lang", 30);
        t.put("calendartype", 30);
        t.put("theme", 50);
        t.put("timezone", 100);
        t.put("description", -1);
        t.put("middlename", 255);
        t.put("alternatename", 255);
        t.put("firstnamephonetic", 255);
        t.put("lastnamephonetic", 255);
        TEXT = java.util.Collections.unmodifiableMap(t);

        Map<String, Set<Integer>> f = new LinkedHashMap<>();
        f.put("mailformat", Set.of(0, 1));
        f.put("maildisplay", Set.of(0, 1, 2));
        f.put("maildigest", Set.of(0, 1, 2));
        f.put("autosubscribe", Set.of(0, 1));
        f.put("trackforums", Set.of(0, 1));
        f.put("suspended", Set.of(0, 1));
        FLAGS = java.util.Collections.unmodifiableMap(f);
    }

    /** Every column an account lookup reads back, for comparing a line with what Moodle holds. */
    public static final java.util.List<String> READ;

    static {
        java.util.List<String> r = new java.util.ArrayList<>(TEXT.keySet());
        r.addAll(FLAGS.keySet());
        READ = java.util.List.copyOf(r);
    }

    public static boolean isFlag(String column) {
        return FLAGS.containsKey(column);
    }
}
