package org.moodlesync.events;

import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.moodlesync.pipeline.RunSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens once a file has finished, whatever way it came in (inbox, import, HTTP, another
 * route): it joins the run history, updates the metrics, and its summary goes to the
 * {@code run-completed} route (routes/events.yaml), which sends the JSON to {@code sync.on-complete}.
 * A failing event never fails the file: the data is written, the event is logged as lost.
 */
public final class RunCompletion implements Consumer<RunSummary> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCompletion.class);
    public static final String ENDPOINT = "direct:run-completed";

    private final RunHistory history;
    private final FeedMetrics metrics;
    private final Consumer<RunSummary> others;
    private volatile CamelContext camel;
    private volatile ProducerTemplate producer;

    public RunCompletion(RunHistory history, FeedMetrics metrics, Consumer<RunSummary> others) {
        this.history = history;
        this.metrics = metrics;
        this.others = others;
    }

    /** Events are sent once Camel runs (before that, no file can finish). */
    public void started(CamelContext camel) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
    }

    @Override
    public void accept(RunSummary summary) {
        others.accept(summary);
        RunRecord record = history.add(summary);
        try {
            metrics.record(summary);
        } catch (RuntimeException e) {
            LOG.warn("metrics of {} not recorded: {}", summary.source(), e.getMessage());
        }
        ProducerTemplate p = producer;
        if (p == null || camel == null || !camel.getStatus().isStarted() || camel.hasEndpoint(ENDPOINT) == null && camel.getRoute("run-completed") == null) {
            return;
        }
        try {
            p.sendBodyAndHeader(ENDPOINT, record.toJson(), "moodleSyncRunId", record.id());
        } catch (RuntimeException e) {
            LOG.warn("the completion event of {} was not delivered: {}", summary.source(), e.getMessage());
        }
    }
}
