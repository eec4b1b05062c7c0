package org.moodlesync.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;

/**
 * Prometheus metrics per feed, next to Camel's own: {@code moodlesync_lines_total{feed,outcome}},
 * {@code moodlesync_files_total{feed,status}}, and of the last run {@code moodlesync_last_run_timestamp_seconds},
 * {@code moodlesync_last_run_lines} and {@code moodlesync_last_run_failed_lines}.
 */
public final class FeedMetrics {
    private final MeterRegistry registry;
    private final Map<String, LastRun> lastRuns = new ConcurrentHashMap<>();

    public FeedMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(RunRecord run) {
        Counter.builder("moodlesync.files").description("Files that ended, by feed and status (completed, stopped, rejected)")
                .tag("feed", run.feed()).tag("status", run.status()).register(registry).increment();
        RunSummary summary = run.summary();
        if (summary == null || summary.dryRun()) {
            return;
        }
        String feed = summary.feed();
        for (OutcomeType t : OutcomeType.values()) {
            long n = summary.count(t);
            if (n > 0) {
                Counter.builder("moodlesync.lines").description("Lines processed, by feed and outcome")
                        .tag("feed", feed).tag("outcome", t.label()).register(registry).increment(n);
            }
        }
        LastRun last = lastRuns.computeIfAbsent(feed, f -> new LastRun(registry, f));
        last.timestamp.set(summary.started().plus(summary.elapsed()).getEpochSecond());
        last.lines.set(summary.lines());
        last.failed.set(summary.failed());
    }

    private static final class LastRun {
        final AtomicLong timestamp = new AtomicLong();
        final AtomicLong lines = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        LastRun(MeterRegistry registry, String feed) {
            Gauge.builder("moodlesync.last.run.timestamp.seconds", timestamp, AtomicLong::get)
                    .description("When the feed's last file finished (epoch seconds)").tag("feed", feed).register(registry);
            Gauge.builder("moodlesync.last.run.lines", lines, AtomicLong::get).description("Lines of the feed's last file").tag("feed", feed).register(registry);
            Gauge.builder("moodlesync.last.run.failed.lines", failed, AtomicLong::get)
                    .description("Failed lines of the feed's last file").tag("feed", feed).register(registry);
        }
    }
}
