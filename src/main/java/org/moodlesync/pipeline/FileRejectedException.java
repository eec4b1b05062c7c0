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

    /** The operator's message of a failure: ours inside Camel's wrappers, or else the root cause. */
    public static String messageOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileRejectedException || t instanceof org.moodlesync.moodle.MoodleUnavailableException) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
