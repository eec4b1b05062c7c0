package org.moodlesync.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.moodlesync.feed.FeedCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the intake route does with inbox files besides processing them: the order in which
 * waiting files run, unique archive and failed names ({@code <yyyyMMdd-HHmmss>_<name>}, never
 * overwriting), the {@code .error.txt} beside a failed file, and putting back files a killed
 * process left in {@code .inprogress}.
 */
public final class InboxFiles {
    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);
    public static final String IN_PROGRESS = ".inprogress";
    private static final String FAILED_PATH = "MoodleSyncFailedPath";

    private final PipelineSettings settings;
    private final FeedRecognizer recognizer;
    private final FeedCatalog catalog;
    private final Clock clock;
    private final java.util.function.Predicate<Path> claimedByLiveInstance;
    private final RunListener listener;

    /**
     * @param claimedByLiveInstance whether a file in .inprogress is being processed by a running
     *                              instance: never, for an inbox of its own; its live claim in the
     *                              database, for a shared inbox
     */
    public InboxFiles(PipelineSettings settings, FeedRecognizer recognizer, FeedCatalog catalog, Clock clock,
                      java.util.function.Predicate<Path> claimedByLiveInstance, RunListener listener) {
        this.settings = settings;
        this.recognizer = recognizer;
        this.catalog = catalog;
        this.clock = clock;
        this.claimedByLiveInstance = claimedByLiveInstance;
        this.listener = listener;
    }

    /** Sorter of the inbox poll: courses before users before enrolments (see FeedCatalog), then by name. */
    public Comparator<GenericFile<?>> order() {
        Comparator<String> byFeed = Comparator.nullsLast(catalog.dependencyOrder());
        return Comparator.<GenericFile<?>, String>comparing(f -> recognizer.feedOrNull(f.getFileNameOnly()), byFeed)
                .thenComparing(GenericFile::getFileNameOnly);
    }

    /**
     * Makes a claimed file readable by its owner only before anything else happens to it: feed
     * files may hold passwords, and the archive and failed folders keep them.
     */
    public void protect(Exchange exchange) throws IOException {
        String path = exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        if (path != null) {
            ReportFiles.restrictToOwner(Path.of(path));
        }
    }

    /** The archive path of a processed file (the consumer's move expression). */
    public String archivePath(Exchange exchange) {
        return uniquePath(settings.archive(), stamped(exchange)).toString();
    }

    /** The failed path of a rejected file (the consumer's moveFailed expression); the same one explain() used. */
    public String failedPath(Exchange exchange) {
        String path = exchange.getIn().getHeader(FAILED_PATH, String.class);
        return path != null ? path : uniquePath(settings.failed(), stamped(exchange)).toString();
    }

    /**
     * Says in the failed folder why an inbox file cannot be claimed ({@code <name>.claim-error.txt}):
     * the file itself stays in the inbox and is tried again at every poll.
     */
    public void claimRefused(String name, String reason) {
        try {
            ReportFiles.createPrivateDirectories(settings.failed());
            Path note = settings.failed().resolve(name + ".claim-error.txt");
            Files.writeString(note, name + " cannot be claimed in the claims table: " + reason
                    + "\nIt stays in the inbox and is tried again at every poll; this note is not removed by itself.\n");
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the claim error of {} in {}: {}", name, settings.failed(), e.getMessage());
        }
    }

    /** Writes {@code <failed name>.error.txt} saying why the file could not be processed. */
    public void explain(Exchange exchange) throws IOException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown error" : FileRejectedException.messageOf(cause);
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        FeedRun run = exchange.getProperty(Exchanges.RUN, FeedRun.class);
        boolean stoppedPartWay = run != null && run.abortReason() != null; // only a lost database stops a run
        if (stoppedPartWay || org.moodlesync.moodle.SqlErrors.isConnectionLoss(cause)) {
            // not the file's fault: it goes back to the inbox and runs again (from its start, the lines
            // applied before come out unchanged) once the database answers. A database that answers
            // but is not a usable Moodle one is a lasting fault: such files go to sync.failed.
            Path back = backInInbox(name);
            exchange.getIn().setHeader(FAILED_PATH, back.toString());
            LOG.warn("{} waits in the inbox until the Moodle database answers again: {}", name, reason);
            return;
        }
        Path failed = uniquePath(settings.failed(), stamped(exchange));
        exchange.getIn().setHeader(FAILED_PATH, failed.toString());
        ReportFiles.createPrivateDirectories(failed.getParent());
        Path explanation = failed.resolveSibling(failed.getFileName() + ".error.txt");
        Files.writeString(explanation, reason + System.lineSeparator(), StandardCharsets.UTF_8);
        ReportFiles.restrictToOwner(explanation);
        LOG.error("{} was not processed and goes to {}: {}", name, failed, reason);
        listener.rejected(exchange.getProperty(Exchanges.FEED, String.class), name, reason);
    }

    /**
     * Files a killed run left half-processed go back to the inbox: every feed is idempotent, so
     * they simply run again. Files another live instance is processing stay where they are.
     */
    public void recoverInterrupted() throws IOException {
        Path inProgress = settings.inbox().resolve(IN_PROGRESS);
        if (!Files.isDirectory(inProgress)) {
            return;
        }
        try (Stream<Path> files = Files.list(inProgress)) {
            for (Path f : files.filter(Files::isRegularFile).filter(claimedByLiveInstance.negate()).toList()) {
                Path back = backInInbox(f.getFileName().toString());
                Files.move(f, back, StandardCopyOption.ATOMIC_MOVE);
                LOG.warn("{} was being processed when moodle-sync stopped; it is back in the inbox and runs again", f.getFileName());
            }
        }
    }

    /** The periodic check of a shared inbox: the same recovery, for instances that died while this one runs. */
    public void recoverOrphans() {
        try {
            recoverInterrupted();
        } catch (IOException | RuntimeException e) {
            // another instance may have recovered the same file first; the next check sees the rest
            LOG.debug("recovery of orphaned files: {}", e.getMessage());
        }
    }

    /** Where a file goes back in the inbox: its own name, or with _recovered when another file took it meanwhile. */
    private Path backInInbox(String name) {
        Path back = settings.inbox().resolve(name).toAbsolutePath();
        if (Files.exists(back)) {
            // a suffix keeps the name recognisable: userimport_recovered.csv is still the users feed
            int dot = name.lastIndexOf('.');
            back = uniquePath(settings.inbox(), dot <= 0 ? name + "_recovered" : name.substring(0, dot) + "_recovered" + name.substring(dot));
        }
        return back;
    }

    private String stamped(Exchange exchange) {
        return LocalDateTime.now(clock).format(FeedRun.STAMP) + "_" + exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    }

    /** {@code dir/name}, or {@code dir/name-2.ext}, {@code -3}... when taken: an earlier archive is never overwritten. */
    public static Path uniquePath(Path dir, String name) {
        Path p = dir.resolve(name);
        int dot = name.lastIndexOf('.');
        String base = dot <= 0 ? name : name.substring(0, dot);
        String ext = dot <= 0 ? "" : name.substring(dot);
        for (int i = 2; Files.exists(p) || Files.exists(p.resolveSibling(p.getFileName() + ".error.txt")); i++) {
            p = dir.resolve(base + "-" + i + ext);
        }
        return p.toAbsolutePath();
    }
}
