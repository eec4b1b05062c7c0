package org.moodlesync.pipeline;

import org.apache.camel.Exchange;
import org.moodlesync.moodle.cache.CacheInvalidator;

/**
 * The route step (bean moodleCaches, method invalidate) that has Moodle's caches invalidated
 * once per file, after its last chunk and before its report is written, and puts the outcome in
 * the report. A failed invalidation is a warning there and in the log; nothing is rolled back.
 */
public final class MoodleCaches {
    private final CacheInvalidator invalidator;

    public MoodleCaches(CacheInvalidator invalidator) {
        this.invalidator = invalidator;
    }

    public void invalidate(Exchange exchange) {
        FeedRun run = exchange.getProperty(Exchanges.RUN, FeedRun.class);
        if (run == null || !run.markCachesCarriedOut()) {
            return;
        }
        String line = invalidator.carryOut(run.caches(), run.dryRun(), run.source());
        if (line != null) {
            run.note(line);
        }
    }
}
