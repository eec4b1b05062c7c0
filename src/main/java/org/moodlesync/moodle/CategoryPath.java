package org.moodlesync.moodle;

import java.util.ArrayList;
import java.util.List;

/**
 * A category addressed by the names of its ancestors from the top ({@code Faculty/Science}), as
 * tool_sync's "full pathed name" reads it. Names are trimmed; an empty one is refused rather than
 * created, which tool_sync did (it made a category with an empty name).
 */
public final class CategoryPath {
    /** Moodle's course_categories.name is varchar(255); core_course_category::create refuses longer names. */
    static final int MAX_NAME_LENGTH = 255;

    private CategoryPath() {
    }

    /** Splits {@code /A/B/} at '/'; leading and trailing separators are dropped as tool_sync does. */
    public static List<String> parse(String path) {
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return clean(List.of(p.split("/", -1)));
    }

    /** The trimmed names; throws when a name is empty or too long for Moodle. */
    public static List<String> clean(List<String> names) {
        String shown = String.join("/", names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("category path \"" + shown + "\" names no category");
        }
        List<String> cleaned = new ArrayList<>(names.size());
        for (String name : names) {
            String n = name == null ? "" : name.strip();
            if (n.isEmpty()) {
                throw new IllegalArgumentException("category path \"" + shown + "\" has an empty name");
            }
            checkName(n);
            cleaned.add(n);
        }
        return cleaned;
    }

    static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a category name cannot be empty");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("category name \"" + name.substring(0, 40) + "...\" is longer than "
                    + MAX_NAME_LENGTH + " characters");
        }
    }
}
