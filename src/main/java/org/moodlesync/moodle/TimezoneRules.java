package org.moodlesync.moodle;

import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Collectors;

/** user.timezone values: {@code "99"} (use the server timezone) or a known IANA zone id. */
public final class TimezoneRules {

    public static final String SERVER_TIMEZONE = "99";

    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(z -> !z.startsWith("SystemV/"))
            .collect(Collectors.toUnmodifiableSet());

    private TimezoneRules() {
    }

    /** True for "99" or an available {@link ZoneId} id (case-sensitive, "SystemV/..." excluded). */
    public static boolean valid(String tz) {
        return tz != null && (SERVER_TIMEZONE.equals(tz) || ZONES.contains(tz));
    }
}
