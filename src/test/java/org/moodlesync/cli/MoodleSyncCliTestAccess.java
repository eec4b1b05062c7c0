package org.moodlesync.cli;

/** Lets tests of other packages read a rejection message the way the import command prints it. */
public final class MoodleSyncCliTestAccess {
    private MoodleSyncCliTestAccess() {
    }

    /** Runs a command as the CLI does; returns its exit code, its output in {@code out}. */
    public static int run(java.io.ByteArrayOutputStream out, String... args) {
        return MoodleSyncCli.run(args, new java.io.PrintStream(out, true), new java.io.PrintStream(out, true));
    }

    public static String rejection(Throwable e) {
        return ImportCommand.rejection(e);
    }
}
