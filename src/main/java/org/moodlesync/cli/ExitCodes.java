package org.moodlesync.cli;

/** Exit codes of the commands, an interface operators' scripts rely on. */
public final class ExitCodes {
    private ExitCodes() {
    }

    /** Every line applied or unchanged; or the command did what it was asked. */
    public static final int OK = 0;
    /** Some lines failed: they are in the tryback file. */
    public static final int LINES_FAILED = 1;
    /** The file (or the command) could not be processed at all: bad header, unreadable, no database. */
    public static final int NOT_PROCESSED = 2;
}
