package org.moodlesync.events;

import java.util.LinkedHashMap;
import java.util.Map;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;

/**
 * How one file ended, as GET /runs and the completion events show it.
 *
 * @param status  completed, stopped (part-way: the lines before have their report) or rejected (not processed)
 * @param summary the run's counts and files; null for a rejected file
 * @param error   why it stopped or was rejected; null when completed
 */
public record RunRecord(String id, String feed, String file, String status, RunSummary summary, String error) {
    public static final String COMPLETED = "completed";
    public static final String STOPPED = "stopped";
    public static final String REJECTED = "rejected";

    /** The run as a JSON-ready map: feed, file, status, counts, duration, report locations. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("feed", feed);
        m.put("file", file);
        m.put("status", status);
        if (error != null) {
            m.put("error", error);
        }
        if (summary != null) {
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
        }
        return m;
    }

    public String toJson() {
        return RunJson.object(toMap());
    }
}
