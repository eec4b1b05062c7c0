package org.moodlesync.pipeline;

import java.io.InputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.moodlesync.feed.FeedCatalog;
import org.moodlesync.feed.FeedDefinition;
import org.moodlesync.feed.FeedProcessor;
import org.moodlesync.moodle.MoodleUnavailableException;
import org.moodlesync.moodle.cache.CacheInvalidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every feed file goes through, called from routes/pipeline.yaml: {@link #open} reads
 * and checks the header and prepares the feed, {@link #chunks} streams the records in chunks,
 * {@link #complete} runs the feed's own last step, {@link #finish} writes the report and the
 * tryback file. Between the last two, routes/pipeline.yaml has Moodle's caches invalidated
 * ({@link MoodleCaches}).
 */
public final class FeedFiles {
    private static final Logger LOG = LoggerFactory.getLogger(FeedFiles.class);

    private final FeedCatalog catalog;
    private final PipelineSettings settings;
    private final Clock clock;
    private final RunListener listener;

    public FeedFiles(FeedCatalog catalog, PipelineSettings settings, Clock clock, RunListener listener) {
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
    }

    public void open(Exchange exchange) {
        String feed = exchange.getProperty(Exchanges.FEED, String.class);
        String source = sourceName(exchange);
        FeedDefinition definition = catalog.definition(feed)
                .orElseThrow(() -> new FileRejectedException(source + ": there is no feed named \"" + feed + "\" (feeds: " + String.join(", ", catalog.names()) + ")"));
        FeedProcessor processor = catalog.processor(feed)
                .orElseThrow(() -> new FileRejectedException(source + ": the " + feed + " feed is not available in this version of moodle-sync yet"));
        boolean dryRun = settings.dryRun() || "true".equalsIgnoreCase(exchange.getIn().getHeader(Exchanges.DRY_RUN, String.class));

        InputStream in = exchange.getIn().getBody(InputStream.class);
        if (in == null) {
            throw new FileRejectedException(source + ": cannot read the file");
        }
        CsvFeedReader reader = CsvFeedReader.open(in, new CsvOptions(settings.charset(), settings.separator(), definition.fixedColumns()));
        try {
            CsvHeader header = reader.header();
            String aliases = exchange.getProperty(Exchanges.COLUMN_ALIASES, String.class);
            if (aliases != null && !aliases.isBlank()) {
                header.applyAliases(parseAliases(aliases));
            }
            List<String> problems = definition.headerProblems(header, settings.allowUnknownColumns());
            if (!problems.isEmpty()) {
                throw new FileRejectedException(source + ": " + String.join("; ", problems));
            }
            FeedRun run = new FeedRun(feed, source, dryRun, settings.reports(), settings.charset(), clock);
            run.start(header);
            processor.prepare(run);
            exchange.setProperty(Exchanges.RUN, run);
            exchange.setProperty(Exchanges.READER, reader);
            LOG.info("{}{} {}: started", dryRun ? "[dry run] " : "", feed, source);
        } catch (MoodleUnavailableException e) {
            close(reader);
            throw new FileRejectedException(source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(reader);
            throw e;
        }
    }

    public Iterator<Chunk> chunks(Exchange exchange) {
        FeedRun run = exchange.getProperty(Exchanges.RUN, FeedRun.class);
        CsvFeedReader reader = exchange.getProperty(Exchanges.READER, CsvFeedReader.class);
        Iterator<List<CsvRecord>> lists = reader.chunks(settings.chunkSize());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return run.abortReason() == null && lists.hasNext();
            }

            @Override
            public Chunk next() {
                return new Chunk(run, lists.next());
            }
        };
    }

    /**
     * The feed's own last step once every chunk is through (e.g. purging the groups a members
     * file emptied), before the caches are invalidated and the report is written. Runs once;
     * {@link #finish} runs it when a route left this step out.
     */
    public void complete(Exchange exchange) {
        FeedRun run = exchange.getProperty(Exchanges.RUN, FeedRun.class);
        if (run.markCompleted() && run.abortReason() == null) {
            catalog.processor(run.feed()).ifPresent(p -> p.finish(run));
        }
    }

    public RunSummary finish(Exchange exchange) {
        CsvFeedReader reader = exchange.getProperty(Exchanges.READER, CsvFeedReader.class);
        FeedRun run = exchange.getProperty(Exchanges.RUN, FeedRun.class);
        run.skipped(reader.skippedLines());
        complete(exchange);
        close(reader);
        RunSummary summary = run.finish();
        if (run.abortReason() != null) {
            throw new FileRejectedException(summary.source() + ": " + run.abortReason());
        }
        LOG.info("{}", summary.oneLine());
        if (summary.tryback() != null) {
            LOG.warn("{}: {} failed lines are in {}", summary.source(), summary.failed(), summary.tryback());
        }
        exchange.getIn().setBody(summary);
        listener.finished(summary);
        return summary;
    }

    /** The chunk routes' handler of a lost database: the file stops at this chunk (see routes/errors.yaml). */
    public void abort(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FeedRun run = exchange.getProperty(Exchanges.RUN, FeedRun.class);
        if (run != null) {
            run.abort(cause == null ? "the database became unavailable" : cause.getMessage());
            if (!run.caches().isEmpty() && !run.dryRun()) {
                // the chunks committed before the loss changed what Moodle caches: nothing can be carried out now
                String note = "WARNING " + CacheInvalidator.PREFIX + "not invalidated, the file stopped: " + run.caches().snapshot().describe()
                        + "; " + CacheInvalidator.PURGE_HINT;
                run.note(note);
                LOG.warn("{}: {}", run.source(), note);
            }
            // the lines handled so far keep their report and tryback even though the file stops here
            RunSummary partial = run.finish();
            LOG.error("{} stopped: {}; report of the lines before: {}", run.source(), run.abortReason(), partial.reportHtml());
            listener.stopped(partial, run.abortReason());
        }
    }

    /**
     * Dead-letter channel of the chunk routes: an error nobody expected fails the chunk's lines,
     * never loses them. They are recorded here, whatever route failed, and the returned list is
     * empty so an aggregating splitter does not record them twice.
     */
    public List<Outcome> failChunk(Exchange exchange) {
        Chunk chunk = exchange.getIn().getBody(Chunk.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "not applied, unexpected error: " + (cause == null ? "unknown" : org.moodlesync.moodle.SqlErrors.describe(cause));
        LOG.error("{}: a chunk of {} lines failed: {}", chunk == null ? "?" : chunk.run().source(), chunk == null ? 0 : chunk.size(), reason, cause);
        if (chunk == null) {
            return List.of();
        }
        String op = chunk.operation() == null ? "" : chunk.operation();
        chunk.run().recordAll(chunk.records().stream().map(r -> Outcome.failed(r, "", op, reason)).toList());
        return List.of();
    }

    static String sourceName(Exchange exchange) {
        String name = exchange.getIn().getHeader(Exchanges.SOURCE_NAME, String.class);
        if (name == null) {
            name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        }
        return name == null ? "input" : name;
    }

    static Map<String, String> parseAliases(String aliases) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : aliases.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new FileRejectedException("column aliases must be \"export column=feed column\" pairs separated by commas, not \"" + pair.trim() + "\"");
            }
            map.put(CsvHeader.normalise(kv[0]), CsvHeader.normalise(kv[1]));
        }
        return map;
    }

    private static void close(CsvFeedReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (Exception ignored) {
                // closing an input we have finished reading cannot lose data
            }
        }
    }
}
