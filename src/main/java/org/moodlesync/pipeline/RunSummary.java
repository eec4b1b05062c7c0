package org.moodlesync.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What one file run did, in numbers, and where its report and tryback files are. */
public record RunSummary(
        String feed,
        String source,
        boolean dryRun,
        Instant started,
        Duration elapsed,
        Map<OutcomeType, Long> counts,
        List<String> notes,
        Path reportCsv,
        Path reportHtml,
        Path tryback) {

    public long count(OutcomeType type) {
        return counts.getOrDefault(type, 0L);
    }

    public long lines() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long failed() {
        return count(OutcomeType.FAILED);
    }

    public double linesPerSecond() {
        double s = Math.max(elapsed.toNanos(), 1) / 1e9;
        return lines() / s;
    }

    /** One line, as logged and printed: "users userimport.csv: 12 lines, created=3 ... in 0.4 s (30 lines/s)". */
    public String oneLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "[dry run] " : "").append(feed).append(' ').append(source).append(": ")
                .append(lines()).append(" lines");
        for (OutcomeType t : OutcomeType.values()) {
            sb.append(", ").append(t.label()).append('=').append(count(t));
        }
        sb.append(String.format(java.util.Locale.ROOT, " in %.1f s (%.0f lines/s)", elapsed.toMillis() / 1000.0, linesPerSecond()));
        return sb.toString();
    }

    public static Map<OutcomeType, Long> emptyCounts() {
        Map<OutcomeType, Long> m = new EnumMap<>(OutcomeType.class);
        for (OutcomeType t : OutcomeType.values()) {
            m.put(t, 0L);
        }
        return m;
    }
}
