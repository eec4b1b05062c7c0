package org.moodlesync.feed;

import java.util.List;
import java.util.Map;
import org.moodlesync.pipeline.CsvRecord;

/**
 * One validated line of a courses file.
 *
 * @param values   the course columns the line sets, typed (texts as String, numbers as Long)
 * @param category the category cell, or null when the file has no category column or it is empty
 * @param sections topicN cells by section number: {name, summary}; empty when the file has none
 * @param self     the self column as a switch, or null when absent or empty
 * @param guest    the guest column as a switch, or null when absent or empty
 * @param teachers teacherN_account cells with their teacherN_role (default editingteacher): {username, role}
 * @param template shortname of the course a new course is made from, or null
 */
record CourseLine(CsvRecord record, String key, String identityValue, Map<String, Object> values, String category,
                  Map<Integer, String[]> sections, Boolean self, Boolean guest, java.util.List<String[]> teachers,
                  String template) {

    String shortname() {
        return (String) values.get("shortname");
    }

}
