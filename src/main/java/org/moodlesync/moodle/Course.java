package org.moodlesync.moodle;

import java.util.Map;

/** A course as the feeds see it: id, category, sortorder, its context, and the writable columns. */
public record Course(long id, long category, long sortorder, long contextId, String contextPath, Map<String, Object> values) {

    public String text(String column) {
        Object v = values.get(column);
        return v == null ? "" : v.toString();
    }

    public String shortname() {
        return text("shortname");
    }
}
