package org.moodlesync.feed;

/** The lengths of Moodle's cohort columns: a longer value would be refused by the database mid-chunk. */
final class CohortFieldLimits {
    static final int NAME = 254;
    static final int IDNUMBER = 100;
    static final int COMPONENT = 100;

    private CohortFieldLimits() {
    }

    /** Why these values do not fit Moodle's cohort table, or null when they do. */
    static String problem(String name, String idnumber, String component) {
        if (name.codePointCount(0, name.length()) > NAME) {
            return "cohort name is longer than " + NAME + " characters";
        }
        if (idnumber.codePointCount(0, idnumber.length()) > IDNUMBER) {
            return "cohort idnumber is longer than " + IDNUMBER + " characters";
        }
        if (component.codePointCount(0, component.length()) > COMPONENT) {
            return "component is longer than " + COMPONENT + " characters";
        }
        return null;
    }
}
