package org.moodlesync.feed;

import java.util.Map;
import org.moodlesync.pipeline.CsvRecord;

/**
 * One validated line of a users file.
 *
 * @param values      the user-table columns the line sets, already normalised (username lower
 *                    case, country upper case, flags as integers); absent columns are absent
 * @param password    the password cell, or null when the file has no password or it is empty
 * @param profile     profile field id → value, for the profile_field_* cells present
 * @param oldUsername non-null when the line renames an account
 * @param identityKey the key the line is reported and de-duplicated under ("idnumber=123")
 * @param enrolments  the course&lt;N&gt; columns, as enrols.csv lines of this user
 */
record UserLine(CsvRecord record, String username, Map<String, Object> values, String password,
                Map<Long, String> profile, String oldUsername, String identityColumn, String identityValue,
                String identityKey, java.util.List<EnrolLine> enrolments) {

    String text(String column) {
        Object v = values.get(column);
        return v == null ? null : v.toString();
    }
}
