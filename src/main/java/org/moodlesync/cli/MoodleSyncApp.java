package org.moodlesync.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.feed.CoursesFeedSettings;
import org.moodlesync.feed.FeedCatalog;
import org.moodlesync.feed.UsersFeedSettings;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.cache.CacheInvalidator;
import org.moodlesync.pipeline.Exchanges;
import org.moodlesync.pipeline.FeedFiles;
import org.moodlesync.pipeline.FeedRecognizer;
import org.moodlesync.pipeline.InboxFiles;
import org.moodlesync.pipeline.MoodleCaches;
import org.moodlesync.pipeline.PipelineSettings;
import org.moodlesync.pipeline.RecordOutcomes;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.events.FeedMetrics;
import org.moodlesync.events.MoodleSyncHealth;
import org.moodlesync.events.RunCompletion;
import org.moodlesync.events.RunHistory;
import org.moodlesync.http.HttpApi;
import org.moodlesync.intake.ClusterServices;
import org.moodlesync.intake.FeedSchedules;
import org.moodlesync.intake.FileClaims;
import org.moodlesync.intake.InboxGate;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.moodlesync.sources.SftpSources;

/**
 * moodle-sync as a running Camel Main: the connection pool, the beans the YAML routes call, and
 * the routes loaded from disk. The commands and the tests start it the same way.
 */
public final class MoodleSyncApp implements AutoCloseable {
    private final SyncConfig config;
    private final Main main;
    private final HikariDataSource dataSource;
    private final MoodleDatabase database;
    private final InboxFiles inboxFiles;
    /** Every file's summary, in the order the files finished (the demo and the tests read them). */
    private final List<RunSummary> summaries;

    private MoodleSyncApp(SyncConfig config, Main main, HikariDataSource dataSource, MoodleDatabase database, InboxFiles inboxFiles,
                          List<RunSummary> summaries) {
        this.summaries = summaries;
        this.config = config;
        this.main = main;
        this.dataSource = dataSource;
        this.database = database;
        this.inboxFiles = inboxFiles;
    }

    /**
     * Starts Camel with the routes of {@code sync.routes} (plus any extra route folders).
     *
     * @param intake whether the inbox is polled ({@code run}, {@code demo}) or not ({@code import})
     */
    public static MoodleSyncApp start(SyncConfig config, boolean intake, Path... extraRouteFolders) throws Exception {
        config = IntakeSettings.resolve(config, intake);
        HikariDataSource ds = dataSource(config);
        MoodleDatabase db = new MoodleDatabase(ds, config.get(ConfigKeys.DB_PREFIX, "mdl_"));
        Clock clock = Clock.systemDefaultZone();
        PipelineSettings pipeline = pipelineSettings(config);
        CacheInvalidator caches = cacheInvalidator(config);
        Files.createDirectories(pipeline.inbox()); // shared with whoever drops the files
        for (Path dir : List.of(pipeline.archive(), pipeline.failed(), pipeline.reports())) {
            org.moodlesync.pipeline.ReportFiles.createPrivateDirectories(dir);
        }
        if (intake) {
            // what runs killed part-way left in the reports folder more than a day ago
            org.moodlesync.pipeline.ReportFiles.removeLeftovers(pipeline.reports(), null, java.time.Duration.ofDays(1));
        }

        List<RunSummary> summaries = java.util.Collections.synchronizedList(new ArrayList<>());
        RunHistory history = new RunHistory();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunCompletion completion = new RunCompletion(history, new FeedMetrics(meters), summaries::add);
        FeedProcessors feeds = FeedProcessors.create(config, db, clock, pipeline, completion);
        FeedCatalog catalog = feeds.catalog();
        FeedRecognizer recognizer = new FeedRecognizer(catalog, config);
        boolean shared = IntakeSettings.claimsInDatabase(config);
        FileClaims claims = shared ? new FileClaims(ds, config.get("camel.main.name", "moodle-sync"),
                1000L * config.integer(ConfigKeys.INTAKE_CLAIM_MAX_AGE, 60), 1000L * config.integer(ConfigKeys.INTAKE_CLAIM_KEEP_ALIVE, 10)) : null;
        InboxFiles inboxFiles = new InboxFiles(pipeline, recognizer, catalog, clock, claims == null ? p -> false : p -> claimed(claims, p), completion);
        if (claims != null) {
            claims.onClaimFailure(inboxFiles::claimRefused);
        }
        FeedSchedules schedules = FeedSchedules.read(config, catalog, customFeeds(config));
        InboxGate gate = new InboxGate(pipeline.inbox(), recognizer, catalog.dependencyOrder(), schedules.feeds(), config.get(ConfigKeys.BATCH_DONE_FILE, ""));
        String cluster = config.get(ConfigKeys.CLUSTER, "none").toLowerCase(Locale.ROOT);
        if (intake) {
            // only the process that polls the inbox owns .inprogress; an import must not take a running poller's file
            inboxFiles.recoverInterrupted();
        }

        // checked before anything starts: a misconfigured source stops the start with its reason
        SftpSources sources = intake ? SftpSources.read(config) : null;

        Main main = new Main();
        MoodleSyncApp app = new MoodleSyncApp(config, main, ds, db, inboxFiles, summaries);
        main.setOverrideProperties(config.toCamelProperties());
        List<String> routeFolders = new ArrayList<>();
        routeFolders.add(config.path(ConfigKeys.ROUTES).toString());
        Arrays.stream(extraRouteFolders).map(p -> p.toAbsolutePath().toString()).forEach(routeFolders::add);
        main.configure().withRoutesIncludePattern(routeFolders.stream().map(f -> "file:" + f + "/*.yaml").collect(Collectors.joining(",")));
        main.bind("moodleDataSource", ds);
        main.bind("feedCatalog", catalog);
        main.bind("feedRecognizer", recognizer);
        main.bind("inboxFiles", inboxFiles);
        main.bind("inboxOrder", inboxFiles.order());
        main.bind("feedFiles", new FeedFiles(catalog, pipeline, clock, completion));
        main.bind("fileClaims", claims != null ? claims : new MemoryIdempotentRepository());
        main.bind("inboxGate", gate);
        main.bind("metricsRegistry", meters);
        MoodleSyncHealth healthCheck = new MoodleSyncHealth(ds, history);
        main.bind("httpApi", new HttpApi(config.get(ConfigKeys.HTTP_TOKEN, ""), catalog, history, app::hasFeedRoute, meters::scrape, healthCheck));
        if (!cluster.equals("none")) {
            main.bind("clusterService", ClusterServices.create(cluster, config.path(ConfigKeys.CLUSTER_FILE_ROOT),
                    config.withPrefix(ConfigKeys.CLUSTER_KUBERNETES_PREFIX)));
        }
        main.bind("recordOutcomes", new RecordOutcomes());
        main.bind("moodleCaches", new MoodleCaches(caches));
        feeds.bindInto(main);
        if (sources != null) {
            sources.bindInto(main, clock);
        }
        try {
            main.start();
            completion.started(main.getCamelContext());
            org.apache.camel.health.HealthCheckRegistry health = org.apache.camel.health.HealthCheckHelper.getHealthCheckRegistry(main.getCamelContext());
            if (health != null) {
                health.register(healthCheck);
            }
            if (intake) {
                schedules.start(main.getCamelContext());
            }
        } catch (Exception e) {
            app.close();
            throw e;
        }
        if (sources != null) {
            try {
                sources.start(main.getCamelContext());
            } catch (Exception e) {
                app.close();
                throw e;
            }
        }
        return app;
    }

    public List<RunSummary> summaries() {
        synchronized (summaries) {
            return List.copyOf(summaries);
        }
    }

    /** Runs one file through its feed's route and returns the summary; throws FileRejectedException when the file cannot be processed. */
    public RunSummary process(String feed, Path file, boolean dryRun) {
        ProducerTemplate template = camel().createProducerTemplate();
        try {
            Exchange result = template.request("direct:feed-" + feed, ex -> {
                ex.getIn().setBody(file.toFile());
                ex.getIn().setHeader(Exchange.FILE_NAME_ONLY, file.getFileName().toString());
                ex.getIn().setHeader(Exchanges.DRY_RUN, Boolean.toString(dryRun));
            });
            if (result.getException() != null) {
                Throwable e = result.getException();
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
            }
            return result.getMessage().getBody(RunSummary.class);
        } finally {
            try {
                template.stop();
            } catch (Exception ignored) {
                // a template that cannot stop holds nothing we need
            }
        }
    }

    /** Whether a live instance holds the claim of a file in .inprogress (by name: a file still growing changes its key). */
    private static boolean claimed(FileClaims claims, Path file) {
        try {
            return claims.claimedByName(file.getFileName().toString());
        } catch (RuntimeException e) {
            // when in doubt the file stays where it is: a later check sees it again
            return true;
        }
    }

    /** The integrators' feeds declared by a file pattern (feeds.<feed>.file-pattern) without a built-in definition. */
    static Set<String> customFeeds(SyncConfig config) {
        Set<String> feeds = new TreeSet<>();
        for (String key : config.keys()) {
            if (key.startsWith("feeds.") && key.endsWith(".file-pattern")) {
                feeds.add(key.substring("feeds.".length(), key.length() - ".file-pattern".length()));
            }
        }
        return feeds;
    }

    public boolean hasFeedRoute(String feed) {
        return camel().getRoute("feed-" + feed) != null || camel().hasEndpoint("direct:feed-" + feed) != null;
    }

    /** True when the inbox has no file waiting or being processed. */
    public boolean inboxIdle() throws IOException {
        Path inbox = config.path(ConfigKeys.INBOX);
        try (Stream<Path> waiting = Files.list(inbox)) {
            if (waiting.anyMatch(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith("."))) {
                return false;
            }
        }
        Path inProgress = inbox.resolve(InboxFiles.IN_PROGRESS);
        if (Files.isDirectory(inProgress)) {
            try (Stream<Path> busy = Files.list(inProgress)) {
                return busy.findAny().isEmpty();
            }
        }
        return true;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public MoodleDatabase database() {
        return database;
    }

    public SyncConfig config() {
        return config;
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM): Camel then lets the current file finish. */
    public void awaitShutdown() throws InterruptedException {
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            latch.countDown();
        }, "moodle-sync-shutdown"));
        latch.await();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception ignored) {
            // stopping is best effort; the pool is closed below either way
        } finally {
            dataSource.close();
        }
    }

    static HikariDataSource dataSource(SyncConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("moodle");
        hc.setJdbcUrl(config.get(ConfigKeys.DB_URL));
        hc.setUsername(config.get(ConfigKeys.DB_USER, ""));
        hc.setPassword(config.get(ConfigKeys.DB_PASSWORD, ""));
        // one connection per chunk transaction, plus the parallel hashing threads that do not hold one
        hc.setMaximumPoolSize(config.integer(ConfigKeys.DB_POOL_SIZE, 4));
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(10_000);
        // Do not fail at start: an unreachable database rejects each file with a clear message instead.
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("ApplicationName", "moodle-sync");
        return new HikariDataSource(hc);
    }

    static PipelineSettings pipelineSettings(SyncConfig config) {
        String encoding = config.get(ConfigKeys.ENCODING, "UTF-8");
        Charset charset;
        switch (encoding.toUpperCase(Locale.ROOT)) {
            case "UTF-8", "UTF8" -> charset = java.nio.charset.StandardCharsets.UTF_8;
            case "ISO-8859-1", "LATIN1", "LATIN-1" -> charset = java.nio.charset.StandardCharsets.ISO_8859_1;
            default -> throw new IllegalArgumentException("sync.encoding must be UTF-8 or ISO-8859-1, not \"" + encoding + "\"");
        }
        String sep = config.get(ConfigKeys.SEPARATOR, "auto");
        Character separator = switch (sep) {
            case "auto", "" -> null;
            case ";" -> ';';
            case "," -> ',';
            default -> throw new IllegalArgumentException("sync.separator must be auto, ; or , (not \"" + sep + "\")");
        };
        int chunk = config.integer(ConfigKeys.CHUNK_SIZE, 500);
        if (chunk < 1 || chunk > 50_000) {
            throw new IllegalArgumentException("sync.chunk-size must be between 1 and 50000");
        }
        return new PipelineSettings(config.path(ConfigKeys.INBOX), config.path(ConfigKeys.ARCHIVE), config.path(ConfigKeys.FAILED),
                config.path(ConfigKeys.REPORTS), charset, separator, chunk, config.flag(ConfigKeys.ALLOW_UNKNOWN_COLUMNS),
                config.flag(ConfigKeys.DRY_RUN));
    }

    /** moodle.cache.*: how the cache invalidations of each file reach Moodle (docs/moodle-caches.md). */
    static CacheInvalidator cacheInvalidator(SyncConfig config) {
        String cachedir = config.get(ConfigKeys.CACHEDIR, "");
        String dataroot = config.get(ConfigKeys.DATAROOT, "");
        Path cacheDir = !cachedir.isBlank() ? Path.of(cachedir) : !dataroot.isBlank() ? Path.of(dataroot, "cache") : null;
        int timeout = config.integer(ConfigKeys.CACHE_COMMAND_TIMEOUT, 60);
        return new CacheInvalidator(CacheInvalidator.strategy(config.get(ConfigKeys.CACHE_INVALIDATION, "none"),
                config.get(ConfigKeys.CACHE_COMMAND, ""), Duration.ofSeconds(timeout), cacheDir));
    }

    static CoursesFeedSettings coursesSettings(SyncConfig config) {
        return new CoursesFeedSettings(config.get(ConfigKeys.COURSES_IDENTITY, "shortname"), config.get(ConfigKeys.COURSES_CATEGORY_IDENTIFIER, "path"),
                config.flag(ConfigKeys.COURSES_FORCE_UPDATE), config.flag(ConfigKeys.COURSES_NEW_CATEGORIES_VISIBLE, true),
                config.get(ConfigKeys.COURSES_DELETE_HOLDING_CATEGORY, "Courses to delete"));
    }

    static UsersFeedSettings usersSettings(SyncConfig config) throws IOException {
        Set<String> languages = new TreeSet<>();
        String configured = config.get(ConfigKeys.USERS_LANGUAGES, "");
        if (!configured.isBlank()) {
            Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(languages::add);
        } else {
            String dataroot = config.get(ConfigKeys.DATAROOT, "");
            Path langDir = dataroot.isBlank() ? null : Path.of(dataroot, "lang");
            if (langDir != null && Files.isDirectory(langDir)) {
                try (Stream<Path> packs = Files.list(langDir)) {
                    packs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).forEach(languages::add);
                }
                languages.add("en"); // English ships with Moodle's code, not in dataroot
            }
        }
        return new UsersFeedSettings(config.get(ConfigKeys.USERS_IDENTITY, "idnumber"), config.flag(ConfigKeys.USERS_ALLOW_RENAME),
                config.flag(ConfigKeys.USERS_PROTECT_EMAILS), config.flag(ConfigKeys.USERS_CREATE_PASSWORDS), languages);
    }
}
