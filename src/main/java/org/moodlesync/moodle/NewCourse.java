package org.moodlesync.moodle;

import java.util.List;
import java.util.Map;

/**
 * A course to create: its columns, its category, its sections (index = section number; each
 * a name (null for Moodle's default) and a summary) and whether the self and guest enrolment
 * methods are enabled (null: the site's default).
 */
public record NewCourse(Map<String, Object> values, long category, List<String[]> sections, Boolean selfEnabled, Boolean guestEnabled) {
}
