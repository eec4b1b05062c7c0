package org.moodlesync.http;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.support.SynchronizationAdapter;
import org.moodlesync.events.RunHistory;
import org.moodlesync.events.RunJson;
import org.moodlesync.events.RunRecord;
import org.moodlesync.feed.FeedCatalog;
import org.moodlesync.pipeline.Exchanges;
import org.moodlesync.pipeline.FileRejectedException;
import org.moodlesync.pipeline.RunSummary;

/**
 * The steps of the HTTP routes (routes/http.yaml): the bearer token, a posted CSV made ready for
 * its feed's route, the JSON answers, and errors turned into a status and a JSON message.
 */
public final class HttpApi {
    private final byte[] token;
    private final FeedCatalog catalog;
    private final RunHistory history;
    private final Predicate<String> feedRouteExists;
    private final Supplier<String> prometheusText;
    private final HealthCheck readiness;

    /**
     * @param token          sync.http.token; empty refuses every call, so an unset token never opens the API
     * @param prometheusText the metrics in Prometheus' text format (Camel's and moodlesync_*)
     * @param readiness      moodle-sync's own health check (database, last runs)
     */
    public HttpApi(String token, FeedCatalog catalog, RunHistory history, Predicate<String> feedRouteExists,
                   Supplier<String> prometheusText, HealthCheck readiness) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.catalog = catalog;
        this.history = history;
        this.feedRouteExists = feedRouteExists;
        this.prometheusText = prometheusText;
        this.readiness = readiness;
    }

    public void authorize(Exchange exchange) {
        String header = exchange.getIn().getHeader("Authorization", String.class);
        exchange.getIn().removeHeader("Authorization");
        if (token.length == 0) {
            throw new HttpRefusedException(401, "the HTTP API is closed: set sync.http.token to open it");
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || !MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            throw new HttpRefusedException(401, "a valid bearer token is needed (Authorization: Bearer <sync.http.token>)");
        }
    }

    /** The exchange property naming the feed route a posted CSV goes to. */
    public static final String FEED_PROPERTY = "moodleSyncHttpFeed";

    /**
     * POST /feeds/{feed}: the CSV body is read whole (the request stream can be read once) and
     * made ready for direct:feed-{feed}, under the name given in ?name= (else the feed's default name).
     */
    public void prepareFeedRun(Exchange exchange) {
        String feed = exchange.getIn().getHeader("feed", String.class);
        if (feed == null || !feed.matches("[a-z0-9][a-z0-9-]*") || !feedRouteExists.test(feed)) {
            throw new HttpRefusedException(404, "there is no feed named \"" + feed + "\" (feeds: " + String.join(", ", catalog.names()) + ")");
        }
        String name = exchange.getIn().getHeader("name", String.class);
        if (name == null || name.isBlank()) {
            name = catalog.definition(feed).map(d -> d.defaultFileName()).orElse(feed + ".csv");
        }
        if (!name.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new HttpRefusedException(400, "name must be a plain file name (letters, digits, . _ -)");
        }

        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new HttpRefusedException(400, "the body must be the feed's file (CSV, or a zip archive for pictures)");
        }
        if (feed.equals("pictures")) {
            // an archive is read by entry, from a file: the posted bytes go to a private temporary one
            exchange.getIn().setBody(temporaryArchive(exchange, body));
        } else {
            exchange.getIn().setBody(body);
        }
        exchange.getIn().setHeader(Exchange.FILE_NAME_ONLY, name);
        exchange.getIn().setHeader(Exchanges.DRY_RUN, Boolean.toString("true".equalsIgnoreCase(exchange.getIn().getHeader("dryRun", String.class))));
        exchange.setProperty(FEED_PROPERTY, feed);
    }

    private static File temporaryArchive(Exchange exchange, byte[] body) {
        try {
            Path file = Files.createTempFile("moodle-sync-http-", ".zip",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, body);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // the system's temporary folder is cleaned anyway
                    }
                }
            });
            return file.toFile();
        } catch (IOException e) {
            throw new HttpRefusedException(500, "cannot keep the posted archive: " + e.getMessage());
        }
    }

    /** The finished run's summary as JSON (the feed route's reply). */
    public String runJson(Exchange exchange) {
        RunSummary summary = exchange.getIn().getBody(RunSummary.class);
        RunRecord record = history.list().stream().filter(r -> r.summary() == summary).findFirst()
                .orElseGet(() -> new RunRecord("", summary.feed(), summary.source(), RunRecord.COMPLETED, summary, null));
        json(exchange, 200);
        return record.toJson();
    }

    public String runs(Exchange exchange) {
        json(exchange, 200);
        return RunJson.list(history.list());
    }

    public String run(Exchange exchange) {
        String id = exchange.getIn().getHeader("id", String.class);
        RunRecord record = history.find(id).orElseThrow(() -> new HttpRefusedException(404, "no run " + id + " (GET /runs lists them)"));
        json(exchange, 200);
        return record.toJson();
    }

    /**
     * GET /runs/{id}/{file}: the run's report (report = the CSV, report.html) or its tryback file,
     * for callers that cannot read the reports folder; 404 when the run has none.
     */
    public Object runFile(Exchange exchange) {
        String id = exchange.getIn().getHeader("id", String.class);
        String which = exchange.getIn().getHeader("file", String.class);
        RunRecord record = history.find(id).orElseThrow(() -> new HttpRefusedException(404, "no run " + id + " (GET /runs lists them)"));
        Path file = record.summary() == null ? null : switch (which == null ? "" : which) {
            case "report" -> record.summary().reportCsv();
            case "report.html" -> record.summary().reportHtml();
            case "tryback" -> record.summary().tryback();
            default -> throw new HttpRefusedException(404, "a run has: report, report.html, tryback");
        };
        if (file == null || !Files.isRegularFile(file)) {
            throw new HttpRefusedException(404, "run " + id + " has no " + which + (record.summary() == null ? " (the file was rejected)" : ""));
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        String name = file.getFileName().toString();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".zip") ? "application/zip" : "text/csv");
        exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
        return file.toFile();
    }

    /**
     * GET /health: whether this instance is ready (the Moodle database answers) with the last
     * run of every feed, behind the token like the rest of the API; 503 when not ready. Camel's
     * management server offers its own checks without a token, for probes.
     */
    public String health(Exchange exchange) {
        HealthCheck.Result result = readiness.call();
        boolean up = result.getState() != HealthCheck.State.DOWN;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        result.getMessage().ifPresent(m -> body.put("message", m));
        Map<String, Object> feeds = new TreeMap<>();
        result.getDetails().forEach((k, v) -> {
            if (k.startsWith("feed.")) {
                feeds.put(k, v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
            }
        });
        body.put("lastRuns", feeds);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return RunJson.object(body);
    }

    /** GET /metrics: what a Prometheus server scrapes, behind the same token as the rest of the API. */
    public String metrics(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        return prometheusText.get();
    }

    /** The route error handler: refusals keep their status, a rejected file is 422, anything else 500, always a JSON message. */
    public String error(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = cause instanceof HttpRefusedException r ? r.status() : cause instanceof FileRejectedException ? 422 : 500;
        String message = cause == null ? "unknown error" : FileRejectedException.messageOf(cause);
        json(exchange, status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return RunJson.object(body);
    }

    private static void json(Exchange exchange, int status) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
