package org.moodlesync.moodle;

import java.util.List;
import java.util.Map;

/**
 * A course to create: its columns, its category, its sections (index = section number; each
 * a name (null for Moodle's default), a summary and optionally "0" when hidden), whether the
 * self and guest enrolment methods are enabled (null: the site's default), and the template
 * course whose format options and enrol methods it takes (0 for none: the site's defaults).
 */
public record NewCourse(Map<String, Object> values, long category, List<String[]> sections, Boolean selfEnabled, Boolean guestEnabled,
                        long templateId) {
}
