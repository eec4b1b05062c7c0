package org.moodlesync.moodle;

import java.util.Map;

/** A row of Moodle's user table as the feeds see it: id, deleted flag and the writable columns. */
public record Account(long id, boolean deleted, Map<String, Object> values) {

    public String text(String column) {
        Object v = values.get(column);
        return v == null ? "" : v.toString();
    }

    public String username() {
        return text("username");
    }
}
