package org.moodlesync.feed;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Date cells of the feeds: {@code YYYY-MM-DD}, {@code YYYY-MM-DD hh:mm[:ss]}, ISO 8601 (with or
 * without an offset) and Unix timestamps ({@code 1700000000}, or tool_sync's {@code @1700000000}).
 * Dates without an offset are in the site's timezone, as Moodle reads them. A value that is
 * none of these is an error, never a silent 0 (tool_sync bug 25).
 */
final class DateValues {
    private static final Pattern UNIX = Pattern.compile("@?-?\\d{9,11}");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

    private DateValues() {
    }

    /** Unix time of the cell; throws IllegalArgumentException with a message naming the column. */
    static long parse(String column, String value, ZoneId zone) {
        String v = value.trim();
        if (UNIX.matcher(v).matches()) {
            return Long.parseLong(v.startsWith("@") ? v.substring(1) : v);
        }
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(zone).toEpochSecond();
            }
            if (v.contains("T")) {
                try {
                    return OffsetDateTime.parse(v).toEpochSecond();
                } catch (DateTimeParseException noOffset) {
                    return LocalDateTime.parse(v).atZone(zone).toEpochSecond();
                }
            }
            return LocalDateTime.parse(v, SPACED).atZone(zone).toEpochSecond();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(column + " \"" + value + "\" is not a date (use YYYY-MM-DD, YYYY-MM-DD hh:mm:ss, ISO 8601 or a Unix time)");
        }
    }
}
