package org.moodlesync.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.moodlesync.moodle.cache.CacheInvalidations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one file going through a feed: the counts per outcome, the streaming report and
 * tryback writers, the keys already seen in this file, and file-level notes. It lives in an
 * exchange property for the whole file and is shared by the chunk sub-exchanges, which is what
 * lets the splitter's aggregation strategy add each chunk's outcomes to it synchronously.
 */
public final class FeedRun {
    private static final Logger LOG = LoggerFactory.getLogger(FeedRun.class);
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final String feed;
    private final String source;
    private final boolean dryRun;
    private final Path reportsDir;
    private final Charset charset;
    private final Instant started;
    private final long startNanos = System.nanoTime();
    private final String stamp;
    private final Map<OutcomeType, Long> counts = RunSummary.emptyCounts();
    private final Map<String, Long> seenKeys = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> attributes = new HashMap<>();
    /** The Moodle cache invalidations of the file's committed transactions (thread-safe on its own). */
    private final CacheInvalidations caches = new CacheInvalidations();
    private boolean completed;
    private boolean cachesCarriedOut;
    private CsvHeader header;
    private ReportWriter report;
    private Tryback tryback;
    private long lastProgressNanos = startNanos;
    private RunSummary summary;
    private volatile String abortReason;

    public FeedRun(String feed, String source, boolean dryRun, Path reportsDir, Charset charset, Clock clock) {
        this.feed = feed;
        this.source = source;
        this.dryRun = dryRun;
        this.reportsDir = reportsDir;
        this.charset = charset;
        this.started = clock.instant();
        // a crashed run of the same file may have left its temporary report files: finish the job
        ReportFiles.removeLeftovers(reportsDir, source, LEFTOVER_AGE);
        this.stamp = ReportFiles.reserveStamp(reportsDir, source, LocalDateTime.now(clock).format(STAMP));
    }

    /** How long a run's temporary report files may go unwritten before another run of the file removes them. */
    static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

    /** Called once the header has been read and accepted; opens the report. */
    public void start(CsvHeader header) {
        start(header, new TrybackWriter(reportsDir, source, stamp, header));
    }

    /** As {@link #start(CsvHeader)}, with a tryback of another form than CSV lines (an archive's entries). */
    public void start(CsvHeader header, Tryback tryback) {
        this.header = header;
        this.report = new ReportWriter(reportsDir, source, stamp, dryRun);
        this.tryback = tryback;
    }

    public Path reportsDir() {
        return reportsDir;
    }

    public synchronized void record(Outcome outcome) {
        counts.merge(outcome.type(), 1L, Long::sum);
        report.row(outcome);
        if (outcome.failed()) {
            tryback.add(outcome.record());
        }
        long now = System.nanoTime();
        if (now - lastProgressNanos > PROGRESS_EVERY_NANOS) {
            lastProgressNanos = now;
            long lines = counts.values().stream().mapToLong(Long::longValue).sum();
            double rate = lines / ((now - startNanos) / 1e9);
            LOG.info("{} {}: {} lines so far ({} failed), {} lines/s", feed, source, lines,
                    counts.get(OutcomeType.FAILED), Math.round(rate));
        }
    }

    public void recordAll(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            record(o);
        }
    }

    /**
     * Remembers that a record with this key was seen on this line. Returns the line of the
     * earlier record with the same key, or -1 when this is the first.
     */
    public synchronized long firstSeenAt(String key, long line) {
        Long earlier = seenKeys.putIfAbsent(key, line);
        return earlier == null ? -1 : earlier;
    }

    public synchronized void note(String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    /** Per-file cache for the feed processors (e.g. resolved profile fields). */
    @SuppressWarnings("unchecked")
    public synchronized <T> T attribute(String name, java.util.function.Supplier<T> initial) {
        return (T) attributes.computeIfAbsent(name, k -> initial.get());
    }

    /** Blank, comment and separator-only lines: not records, but counted so that every line of the file is accounted for. */
    public synchronized void skipped(long lines) {
        counts.merge(OutcomeType.SKIPPED, lines, Long::sum);
    }

    /** The file cannot go on (the database is gone): no more chunks are read, and the file is rejected with this reason. */
    public void abort(String reason) {
        if (abortReason == null) {
            abortReason = reason;
        }
    }

    public String abortReason() {
        return abortReason;
    }

    /** Closes the writers and returns the summary; idempotent. */
    public synchronized RunSummary finish() {
        if (summary != null) {
            return summary;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        RunSummary partial = new RunSummary(feed, source, dryRun, started, elapsed, Map.copyOf(counts),
                List.copyOf(notes), null, null, null);
        try {
            Path trybackFile = tryback == null ? null : tryback.close();
            Path[] reports = report == null ? new Path[2] : report.finish(partial, trybackFile);
            ReportFiles.release(reportsDir, source, stamp);
            summary = new RunSummary(feed, source, dryRun, started, elapsed, Map.copyOf(counts),
                    List.copyOf(notes), reports[0], reports[1], trybackFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + source + ": " + e.getMessage(), e);
        }
        return summary;
    }

    /** The Moodle cache invalidations recorded by the file's committed transactions (dry run: the ones it would make). */
    public CacheInvalidations caches() {
        return caches;
    }

    /** True the first time only: the feed's own last step runs once per file. */
    public synchronized boolean markCompleted() {
        boolean first = !completed;
        completed = true;
        return first;
    }

    /** True the first time only: the file's cache invalidations are carried out once. */
    public synchronized boolean markCachesCarriedOut() {
        boolean first = !cachesCarriedOut;
        cachesCarriedOut = true;
        return first;
    }

    public String feed() {
        return feed;
    }

    public String source() {
        return source;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public CsvHeader header() {
        return header;
    }

    public Charset charset() {
        return charset;
    }

    public String stamp() {
        return stamp;
    }
}
