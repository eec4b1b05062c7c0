package org.moodlesync.cli;

/** Lets tests of other packages read a rejection message the way the import command prints it. */
public final class MoodleSyncCliTestAccess {
    private MoodleSyncCliTestAccess() {
    }

    public static String rejection(Throwable e) {
        return ImportCommand.rejection(e);
    }
}
