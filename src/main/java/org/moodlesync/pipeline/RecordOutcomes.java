package org.moodlesync.pipeline;

import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregation strategy of the splitters that apply chunks: each part's outcomes go straight
 * into the file's {@link FeedRun} (counts, report rows, tryback lines), synchronously and in
 * order, so nothing is held in memory and the report is complete when the split ends.
 */
public final class RecordOutcomes implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        record(newExchange);
        // Route-stop flags of a part must not end the parent route (stack-notes pitfall 2).
        newExchange.setRouteStop(false);
        return oldExchange == null ? newExchange : oldExchange;
    }

    /** The same as a plain route step, for chunk routes that apply a chunk without splitting it. */
    @SuppressWarnings("unchecked")
    public void record(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        FeedRun run = exchange.getProperty(Exchanges.RUN, FeedRun.class);
        if (run != null && body instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof Outcome)) {
            // Processors report validation failures before applied lines; the report reads in file order.
            List<Outcome> inFileOrder = new java.util.ArrayList<>((List<Outcome>) list);
            inFileOrder.sort(java.util.Comparator.comparingLong(Outcome::line));
            run.recordAll(inFileOrder);
            exchange.getIn().setBody(List.of());
        }
    }
}
