package org.moodlesync.moodle;

/** The database cannot be used: unreachable, not a Moodle database, too old, or missing tables. */
public class MoodleUnavailableException extends RuntimeException {
    public MoodleUnavailableException(String message) {
        super(message);
    }

    public MoodleUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
