package org.moodlesync.moodle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The course-level options each core course format stores in course_format_options when a
 * course is created, filled from the site's course defaults (moodlecourse/*) as the course form
 * fills them.
 */
public final class CourseFormats {
    private CourseFormats() {
    }

    public static Map<String, String> defaultOptions(String format, SiteSettings site) {
        Map<String, String> options = new LinkedHashMap<>();
        switch (format) {
            case "topics" -> {
                options.put("hiddensections", site.plugin("moodlecourse", "hiddensections", "1"));
                options.put("coursedisplay", site.plugin("moodlecourse", "coursedisplay", "0"));
            }
            case "weeks" -> {
                options.put("hiddensections", site.plugin("moodlecourse", "hiddensections", "1"));
                options.put("coursedisplay", site.plugin("moodlecourse", "coursedisplay", "0"));
                options.put("automaticenddate", "1");
            }
            case "social" -> options.put("numdiscussions", "10");
            case "singleactivity" -> options.put("activitytype", "forum");
            default -> {
                // other formats store their options when Moodle first edits the course
            }
        }
        return options;
    }

    /** Formats with sections the user numbers (topicN columns apply to them). */
    public static boolean hasNumberedSections(String format) {
        return !format.equals("social") && !format.equals("singleactivity") && !format.equals("site");
    }
}
