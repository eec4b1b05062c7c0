package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.TreeSet;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CountryCodesTest {

    @Test
    void moodleList() {
        assertEquals(249, CountryCodes.ALL.size());
        for (String c : new String[] {"FR", "BE", "CH", "CA", "US", "GB", "DE", "AX", "SS", "CW", "BQ", "ZW", "AD"}) {
            assertTrue(CountryCodes.valid(c), c);
        }
        for (String c : new String[] {null, "", "fr", "Fr", "FRA", "F", "XK", "AN", "UK", "EU", "ZZ", " FR"}) {
            assertFalse(CountryCodes.valid(c), String.valueOf(c));
        }
    }

    @Test
    void sameAsJdkIsoListOrReportDifference() {
        TreeSet<String> jdk = new TreeSet<>(Arrays.asList(Locale.getISOCountries()));
        TreeSet<String> onlyJdk = new TreeSet<>(jdk);
        onlyJdk.removeAll(CountryCodes.ALL);
        TreeSet<String> onlyMoodle = new TreeSet<>(CountryCodes.ALL);
        onlyMoodle.removeAll(jdk);
        // informational: Moodle's list is fixed, the JDK's may change with its ISO data
        System.out.println("CountryCodes vs JDK ISO list: only JDK " + onlyJdk + ", only Moodle " + onlyMoodle);
    }
}
