package org.moodlesync.cli;

import java.io.PrintStream;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;

/** {@code moodle-sync run}: polls the inbox until stopped (Ctrl-C or SIGTERM lets the current file finish). */
final class RunCommand {
    private final SyncConfig config;
    private final PrintStream out;

    RunCommand(SyncConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    int run() throws Exception {
        MoodleSyncApp app = MoodleSyncApp.start(config, true);
        out.println("moodle-sync is polling " + config.path(ConfigKeys.INBOX) + " (reports in " + config.path(ConfigKeys.REPORTS) + "); Ctrl-C stops it");
        app.awaitShutdown();
        return ExitCodes.OK;
    }
}
