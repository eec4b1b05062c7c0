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

    /**
     * Whether Moodle sets the course's end date itself: weeks courses with the automaticenddate
     * option on (format_weeks' default when the option is absent).
     */
    public static boolean hasAutomaticEndDate(String format, Map<String, String> options) {
        return "weeks".equals(format) && !"0".equals(options.getOrDefault("automaticenddate", "1"));
    }

    /**
     * format_weeks::update_end_date(): the end of the last section's week, counted in calendar
     * days in the acting user's time zone (so a week across a daylight-saving change keeps its
     * wall-clock time), as format_weeks::get_section_dates() computes it.
     */
    public static long weeksEndDate(long startdate, int lastSection, java.time.ZoneId zone) {
        java.time.ZonedDateTime start = java.time.Instant.ofEpochSecond(startdate).atZone(zone);
        return start.plusDays(7L * Math.max(1, lastSection)).toEpochSecond();
    }

    /** Formats with sections the user numbers (topicN columns apply to them). */
    public static boolean hasNumberedSections(String format) {
        return !format.equals("social") && !format.equals("singleactivity") && !format.equals("site");
    }
}
