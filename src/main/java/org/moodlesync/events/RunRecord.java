package org.moodlesync.events;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;

/** A finished run with its id, as GET /runs and the completion events show it. */
public record RunRecord(String id, RunSummary summary) {

    /** The run as a JSON-ready map: feed, file, counts, duration, report locations. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("feed", summary.feed());
        m.put("file", summary.source());
        m.put("dryRun", summary.dryRun());
        m.put("started", summary.started().toString());
        m.put("durationMillis", summary.elapsed().toMillis());
        m.put("lines", summary.lines());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (OutcomeType t : OutcomeType.values()) {
            counts.put(t.label(), summary.count(t));
        }
        m.put("counts", counts);
        m.put("failed", summary.failed());
        m.put("notes", summary.notes());
        m.put("reportCsv", summary.reportCsv() == null ? null : summary.reportCsv().toString());
        m.put("reportHtml", summary.reportHtml() == null ? null : summary.reportHtml().toString());
        m.put("tryback", summary.tryback() == null ? null : summary.tryback().toString());
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    static String idOf(long sequence, RunSummary summary) {
        return summary.started().toEpochMilli() + "-" + sequence + "-" + summary.feed().toLowerCase(Locale.ROOT);
    }
}
