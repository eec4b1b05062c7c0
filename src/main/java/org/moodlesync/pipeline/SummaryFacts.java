package org.moodlesync.pipeline;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary of a run as label/value pairs, in the order both reports show them, so that the CSV
 * comments and the HTML table cannot drift apart.
 */
final class SummaryFacts {
    static final String DRY_RUN = "DRY RUN: nothing was changed in Moodle";

    record Fact(String label, String value) {
    }

    private SummaryFacts() {
    }

    static List<Fact> of(RunSummary summary, Path tryback) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("feed", summary.feed()));
        facts.add(new Fact("source", summary.source()));
        if (summary.dryRun()) {
            facts.add(new Fact("mode", DRY_RUN));
        }
        facts.add(new Fact("started", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                summary.started().atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS))));
        facts.add(new Fact("elapsed seconds",
                String.format(Locale.ROOT, "%.1f", summary.elapsed().toMillis() / 1000.0)));
        facts.add(new Fact("lines", Long.toString(summary.lines())));
        facts.add(new Fact("lines/s", String.format(Locale.ROOT, "%.0f", summary.linesPerSecond())));
        for (OutcomeType t : OutcomeType.values()) {
            facts.add(new Fact(t.label(), Long.toString(summary.count(t))));
        }
        if (tryback != null) {
            facts.add(new Fact("tryback", tryback.getFileName().toString()));
        }
        return facts;
    }
}
