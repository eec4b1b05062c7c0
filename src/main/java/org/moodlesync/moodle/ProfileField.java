package org.moodlesync.moodle;

import java.util.List;

/** A custom user profile field definition (user_info_field). */
public record ProfileField(long id, String shortname, String datatype, String param1, String param2) {

    /**
     * Why Moodle would not accept this value for the field, or null when it would. Menus take
     * one of their options, checkboxes 0 or 1, dates a Unix time; text is bounded by its
     * maximum length (param2).
     */
    public String problem(String value) {
        if (value.isEmpty()) {
            return null;
        }
        switch (datatype) {
            case "menu":
                List<String> options = param1 == null ? List.of() : List.of(param1.split("\r?\n"));
                return options.contains(value) ? null
                        : "profile field " + shortname + " takes one of " + String.join(", ", options) + ", not \"" + value + "\"";
            case "checkbox":
                return value.equals("0") || value.equals("1") ? null : "profile field " + shortname + " takes 0 or 1, not \"" + value + "\"";
            case "datetime":
                return value.matches("-?\\d+") ? null : "profile field " + shortname + " takes a Unix time, not \"" + value + "\"";
            case "text":
                int max = parse(param2, 0);
                return max > 0 && value.length() > max ? "profile field " + shortname + " takes at most " + max + " characters" : null;
            default:
                return null;
        }
    }

    private static int parse(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
