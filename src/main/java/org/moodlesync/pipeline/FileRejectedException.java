package org.moodlesync.pipeline;

/**
 * The file as a whole cannot be processed (unreadable, bad header, unknown feed, database not
 * reachable or not a Moodle database). Its message is meant for the operator as is: it ends up in
 * {@code <name>.error.txt} beside the file in {@code sync.failed} and on stderr, never with a
 * stack trace.
 */
public class FileRejectedException extends RuntimeException {
    public FileRejectedException(String message) {
        super(message);
    }

    public FileRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
