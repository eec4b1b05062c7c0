package org.moodlesync.events;

import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.moodlesync.pipeline.RunListener;
import org.moodlesync.pipeline.RunSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens once a file has ended, whatever way it came in (inbox, import, HTTP, another
 * route): it joins the run history, updates the metrics, and its record goes to the
 * {@code run-completed} route (routes/events.yaml), which sends the JSON to {@code sync.on-complete}.
 * A failing event never fails the file: the data is written, the event is logged as lost.
 */
public final class RunCompletion implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(RunCompletion.class);
    public static final String ENDPOINT = "direct:run-completed";
    public static final String RUN_ID_HEADER = "moodleSyncRunId";

    private final RunHistory history;
    private final FeedMetrics metrics;
    private final Consumer<RunSummary> others;
    private volatile CamelContext camel;
    private volatile ProducerTemplate producer;

    /** @param others also told of every finished or stopped run (the demo and the tests list them) */
    public RunCompletion(RunHistory history, FeedMetrics metrics, Consumer<RunSummary> others) {
        this.history = history;
        this.metrics = metrics;
        this.others = others;
    }

    /** Events are sent once Camel runs (before that, no file can end). */
    public void started(CamelContext camel) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
    }

    @Override
    public void finished(RunSummary summary) {
        others.accept(summary);
        ended(history.add(summary.feed(), summary.source(), RunRecord.COMPLETED, summary, null));
    }

    @Override
    public void stopped(RunSummary partial, String reason) {
        others.accept(partial);
        ended(history.add(partial.feed(), partial.source(), RunRecord.STOPPED, partial, reason));
    }

    @Override
    public void rejected(String feed, String file, String reason) {
        ended(history.add(feed == null ? "unknown" : feed, file, RunRecord.REJECTED, null, reason));
    }

    private void ended(RunRecord record) {
        try {
            metrics.record(record);
        } catch (RuntimeException e) {
            LOG.warn("metrics of {} not recorded: {}", record.file(), e.getMessage());
        }
        ProducerTemplate p = producer;
        if (p == null || camel == null || !camel.getStatus().isStarted() || camel.getRoute("run-completed") == null) {
            return;
        }
        try {
            p.sendBodyAndHeader(ENDPOINT, record.toJson(), RUN_ID_HEADER, record.id());
        } catch (RuntimeException e) {
            LOG.warn("the completion event of {} was not delivered: {}", record.file(), e.getMessage());
        }
    }
}
