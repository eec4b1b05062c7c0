package org.moodlesync.feed;

import java.util.List;
import org.moodlesync.pipeline.CsvRecord;

/**
 * One validated line of an enrolments file.
 *
 * @param enrol  null for a role assignment without enrolment (no enrol column), else the plugin
 * @param start  the start time, or null when the line gives none
 * @param end    the end time (0: none), or null when the line gives none
 * @param gcmd   the group command, or null
 */
record EnrolLine(CsvRecord record, String key, String cmd, String role, String course, String user, String enrol, Long start, Long end,
                 String gcmd, List<String> groups) {
}
