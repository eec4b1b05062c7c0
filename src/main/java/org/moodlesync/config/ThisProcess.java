package org.moodlesync.config;

/**
 * This moodle-sync process as other processes see it: its process id and host, written in what it holds
 * (file claims, report stamp markers) so that another process can tell a live holder from a dead one.
 */
public final class ThisProcess {
    private static final String HOST = lookUpHost();
    private static final String ID = ProcessHandle.current().pid() + "@" + HOST;

    private ThisProcess() {
    }

    /** {@code <pid>@<host>}. */
    public static String id() {
        return ID;
    }

    public static String host() {
        return HOST;
    }

    private static String lookUpHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
