package org.moodlesync.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.moodlesync.support.Inboxes.await;
import static org.moodlesync.support.Inboxes.names;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.support.SyncFixture;

/** The HTTP API, the metrics and the completion events, on the real routes and Camel's own HTTP servers. */
class HttpApiAndEventsTest {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path tmp;
    SyncFixture sync;
    int apiPort;
    int managementPort;
    Path events;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        apiPort = freePort();
        managementPort = freePort();
        events = tmp.resolve("events");
        sync = new SyncFixture(tmp)
                .set("camel.server.enabled", "true").set("camel.server.port", Integer.toString(apiPort))
                .set("camel.management.enabled", "true").set("camel.management.port", Integer.toString(managementPort))
                .set("sync.http.token", TOKEN)
                .set("sync.on-complete", "file:" + events + "?fileName=${header.moodleSyncRunId}.json");
        // the servers run with the service (run), never beside it (import)
        sync.startPolling();
    }

    @AfterEach
    void stop() throws Exception {
        sync.checkAndClose();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> health(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCsvPostedToAFeedRunsItAndAnswersWithTheReport() throws Exception {
        String csv = "username;firstname;lastname;email\nann;Ann;One;ann@example.org\nbad;Bad;Mail;nope\n";
        HttpResponse<String> refused = call("POST", "/feeds/users", null, csv);
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("bearer token"), refused.body());
        assertEquals(401, call("POST", "/feeds/users", "wrong", csv).statusCode());
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'ann'"), "a refused call writes nothing");

        HttpResponse<String> ran = call("POST", "/feeds/users?name=userimport_hr.csv", TOKEN, csv);
        assertEquals(200, ran.statusCode(), ran.body());
        assertTrue(ran.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(ran.body().contains("\"feed\":\"users\"") && ran.body().contains("\"file\":\"userimport_hr.csv\""), ran.body());
        assertTrue(ran.body().contains("\"created\":1") && ran.body().contains("\"failed\":1"),
                ran.body() + sync.read(Path.of(ran.body().replaceAll(".*\"reportCsv\":\"([^\"]+)\".*", "$1"))));
        assertEquals(1, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'ann'"));

        HttpResponse<String> unknown = call("POST", "/feeds/nothing", TOKEN, csv);
        assertEquals(404, unknown.statusCode(), unknown.body());
        HttpResponse<String> badHeader = call("POST", "/feeds/users", TOKEN, "login;name\nx;y\n");
        assertEquals(422, badHeader.statusCode(), badHeader.body());
        assertTrue(badHeader.body().contains("missing required column"), badHeader.body());
        assertTrue(!badHeader.body().contains("Exception") && !badHeader.body().contains("\tat "), "no stack trace leaves: " + badHeader.body());

        HttpResponse<String> runs = call("GET", "/runs", TOKEN, null);
        assertEquals(200, runs.statusCode());
        assertTrue(runs.body().contains("userimport_hr.csv"), runs.body());
        assertEquals(401, call("GET", "/runs", null, null).statusCode());
        String id = ran.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> one = call("GET", "/runs/" + id, TOKEN, null);
        assertEquals(200, one.statusCode(), one.body());
        assertTrue(one.body().contains("\"reportCsv\""), one.body());
        assertEquals(404, call("GET", "/runs/nope", TOKEN, null).statusCode());
        HttpResponse<String> tryback = call("GET", "/runs/" + id + "/tryback", TOKEN, null);
        assertEquals(200, tryback.statusCode(), tryback.body());
        assertTrue(tryback.body().contains("bad;Bad;Mail;nope") && !tryback.body().contains("ann;"), "the failed line, to fix and post again: " + tryback.body());
        HttpResponse<String> report = call("GET", "/runs/" + id + "/report", TOKEN, null);
        assertTrue(report.statusCode() == 200 && report.body().contains("not a valid address"), report.body());
        assertEquals(401, call("GET", "/runs/" + id + "/report", null, null).statusCode());
        assertEquals(404, call("GET", "/runs/" + id + "/passwords", TOKEN, null).statusCode());

        await("the instance ready", 10_000, () -> call("GET", "/health", TOKEN, null).statusCode() == 200);
        HttpResponse<String> apiHealth = call("GET", "/health", TOKEN, null);
        assertTrue(apiHealth.body().contains("\"feed.users.failed\":1") && apiHealth.body().contains("\"status\":\"UP\""), apiHealth.body());
        assertEquals(401, call("GET", "/health", null, null).statusCode());
        HttpResponse<String> scraped = call("GET", "/metrics", TOKEN, null);
        assertEquals(200, scraped.statusCode());
        assertTrue(scraped.body().contains("moodlesync_files_total{feed=\"users\",status=\"completed\"} 1.0"), scraped.body());
        assertEquals(401, call("GET", "/metrics", null, null).statusCode());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("moodlesync_lines_total{feed=\"users\",outcome=\"created\"} 1.0"), metrics.body());
        assertTrue(metrics.body().contains("moodlesync_last_run_failed_lines{feed=\"users\"} 1.0"), metrics.body());
        // Camel's consumer checks are DOWN until the inbox's first poll
        await("the instance ready", 10_000, () -> health("/observe/health").statusCode() == 200);
        HttpResponse<String> health = health("/observe/health?exposureLevel=full&data=true");
        assertTrue(health.body().contains("\"feed.users.failed\":1") && health.body().contains("\"feed.users.status\":\"completed\""),
                "the last run of each feed in the moodle-sync check");
    }

    @Test
    void aPictureArchiveCanBePostedToo() throws Exception {
        sync.set("moodle.dataroot", tmp.resolve("moodledata").toString());
        sync.startPolling();
        sync.app().process("users", sync.write("userimport.csv", "username;firstname;lastname\nann;Ann;One\n"), false);
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry("ann.png"));
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
            javax.imageio.ImageIO.write(img, "png", z);
            z.closeEntry();
        }
        HttpResponse<String> ran = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/feeds/pictures"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofByteArray(zip.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ran.statusCode(), ran.body());
        assertTrue(ran.body().contains("\"file\":\"userpictures_.zip\"") && ran.body().contains("\"created\":1"), ran.body());
        assertTrue(!"0".equals(sync.scalar("SELECT picture::text FROM mdl_user WHERE username = 'ann'")));
    }

    @Test
    void withoutItsDatabaseTheInstanceIsNotReadyButStaysAlive() throws Exception {
        sync.set("moodle.db.url", "jdbc:postgresql://127.0.0.1:1/nowhere").set("moodle.db.pool-size", "1");
        sync.startPolling();
        HttpResponse<String> ready = health("/observe/health/ready?exposureLevel=full&data=true");
        assertEquals(503, ready.statusCode());
        assertTrue(ready.body().matches("(?s).*\\{\"name\":\"moodle-sync\",\"status\":\"DOWN\",\"message\":\"the Moodle database is not reachable.*"),
                "the moodle-sync check says why it is not ready");
        assertEquals(200, health("/observe/health/live").statusCode(), "a restart would not bring the database back: the process stays alive");
        HttpResponse<String> apiHealth = call("GET", "/health", TOKEN, null);
        assertEquals(503, apiHealth.statusCode());
        assertTrue(apiHealth.body().contains("the Moodle database is not reachable"), apiHealth.body());
        sync.set("moodle.db.url", sync.dbUrl); // the teardown checks Moodle's invariants on the real database
    }

    @Test
    void everyFileThatEndsSendsItsSummaryToTheCompletionEndpoint() throws Exception {
        org.moodlesync.cli.MoodleSyncApp app = sync.startPolling();
        org.moodlesync.support.Inboxes.drop(tmp.resolve("inbox"), "userimport.csv", "username;firstname;lastname\nann;Ann;One\n");
        org.moodlesync.support.Inboxes.drop(tmp.resolve("inbox"), "enrols.csv", "nothing;useful\n1;2\n");
        await("two completion events", 15_000, () -> names(events).size() == 2 && app.inboxIdle());
        List<String> all = new java.util.ArrayList<>();
        for (String name : names(events)) {
            all.add(Files.readString(events.resolve(name)));
        }
        String completed = all.stream().filter(e -> e.contains("\"feed\":\"users\"")).findFirst().orElseThrow(() -> new AssertionError(all.toString()));
        assertTrue(completed.contains("\"file\":\"userimport.csv\"") && completed.contains("\"status\":\"completed\"") && completed.contains("\"created\":1")
                && completed.contains("\"durationMillis\":") && completed.contains("\"reportHtml\":"), completed);
        String rejected = all.stream().filter(e -> e.contains("\"feed\":\"enrolments\"")).findFirst().orElseThrow(() -> new AssertionError(all.toString()));
        assertTrue(rejected.contains("\"status\":\"rejected\"") && rejected.contains("\"error\":\"enrols.csv: missing required column"), rejected);
    }
}
