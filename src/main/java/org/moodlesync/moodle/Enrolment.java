package org.moodlesync.moodle;

/** One user enrolled through one enrol instance, with a role in the course context. */
public record Enrolment(long enrolId, long userId, long roleId, long courseId, long courseContextId, long timestart, long timeend) {
}
