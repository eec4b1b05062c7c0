package org.moodlesync.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.FileRejectedException;
import org.moodlesync.pipeline.InboxFiles;
import org.moodlesync.pipeline.RunSummary;

/** {@code moodle-sync import <feed> <file> [--dry-run]}: one file through its feed's route, then exit. */
final class ImportCommand {
    private final SyncConfig config;
    private final PrintStream out;
    private final PrintStream err;

    ImportCommand(SyncConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int run(CommandLine cl) throws Exception {
        if (cl.args().size() != 2) {
            err.println("usage: moodle-sync import <feed> <file> [--dry-run]");
            return ExitCodes.NOT_PROCESSED;
        }
        String feed = cl.args().get(0);
        Path file = Path.of(cl.args().get(1)).toAbsolutePath();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            err.println("moodle-sync: cannot read " + file);
            return ExitCodes.NOT_PROCESSED;
        }
        boolean dryRun = cl.flag("dry-run") || config.flag(ConfigKeys.DRY_RUN);
        try (MoodleSyncApp app = MoodleSyncApp.start(config, false)) {
            if (!app.hasFeedRoute(feed)) {
                err.println("moodle-sync: there is no route for the feed \"" + feed + "\" (direct:feed-" + feed + " in " + config.path(ConfigKeys.ROUTES) + ")");
                return ExitCodes.NOT_PROCESSED;
            }
            RunSummary summary;
            try {
                summary = app.process(feed, file, dryRun);
            } catch (RuntimeException e) {
                err.println("moodle-sync: " + rejection(e));
                return ExitCodes.NOT_PROCESSED;
            }
            if (!dryRun) {
                archiveCopy(file);
            }
            print(out, summary);
            return summary.failed() > 0 ? ExitCodes.LINES_FAILED : ExitCodes.OK;
        }
    }

    /** The operator named this file, so it stays where it is; the archive keeps a copy, as it does for inbox files. */
    private void archiveCopy(Path file) throws IOException {
        Path archive = config.path(ConfigKeys.ARCHIVE);
        org.moodlesync.pipeline.ReportFiles.createPrivateDirectories(archive);
        Path target = InboxFiles.uniquePath(archive, LocalDateTime.now().format(FeedRun.STAMP) + "_" + file.getFileName());
        org.moodlesync.pipeline.ReportFiles.copyOwnerOnly(file, target);
    }

    static String rejection(Throwable e) {
        return FileRejectedException.messageOf(e);
    }

    static void print(PrintStream out, RunSummary s) {
        out.println(s.oneLine());
        if (s.reportHtml() != null) {
            out.println("  report:  " + s.reportHtml());
            out.println("           " + s.reportCsv());
        }
        if (s.tryback() != null) {
            out.println("  tryback: " + s.tryback() + " (" + s.failed() + " failed lines: fix them and feed this file again)");
        }
        for (String note : s.notes()) {
            out.println("  note:    " + note);
        }
    }
}
