package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimezoneRulesTest {

    @Test
    void valid() {
        for (String tz : new String[] {"99", "Europe/Paris", "America/Port-au-Prince", "America/North_Dakota/New_Salem",
            "UTC", "Asia/Kolkata", "Pacific/Auckland"}) {
            assertTrue(TimezoneRules.valid(tz), tz);
        }
    }

    @Test
    void invalid() {
        for (String tz : new String[] {null, "", "98", "europe/paris", "Europe/Pariss", "Mars/Olympus", "SystemV/EST5",
            "+01:00", " Europe/Paris", "1"}) {
            assertFalse(TimezoneRules.valid(tz), String.valueOf(tz));
        }
    }
}
