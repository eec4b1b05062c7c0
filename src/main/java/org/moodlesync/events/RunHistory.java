package org.moodlesync.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.moodlesync.pipeline.RunSummary;

/**
 * The runs of this process, newest first, for GET /runs. Kept in memory (the last
 * {@value #KEPT}): the reports on disk are the lasting record.
 */
public final class RunHistory {
    static final int KEPT = 500;

    private final Deque<RunRecord> runs = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    /** Records how a file ended under a new id: {@code <epoch millis>-<sequence>-<feed>}. */
    public synchronized RunRecord add(String feed, String file, String status, RunSummary summary, String error) {
        long at = summary == null ? System.currentTimeMillis() : summary.started().toEpochMilli();
        RunRecord record = new RunRecord(at + "-" + sequence.incrementAndGet() + "-" + feed, feed, file, status, summary, error);
        runs.addFirst(record);
        while (runs.size() > KEPT) {
            runs.removeLast();
        }
        return record;
    }

    public synchronized List<RunRecord> list() {
        return new ArrayList<>(runs);
    }

    /** The newest run of each feed, by feed name. */
    public synchronized java.util.Map<String, RunRecord> lastPerFeed() {
        java.util.Map<String, RunRecord> last = new java.util.TreeMap<>();
        runs.forEach(r -> last.putIfAbsent(r.feed(), r));
        return last;
    }

    public synchronized Optional<RunRecord> find(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
