package org.moodlesync.moodle;

import java.util.Map;

/** The columns to change on one existing account (only those; the others stay as they are). */
public record AccountChange(long id, Map<String, Object> set) {
}
