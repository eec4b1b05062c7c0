package org.moodlesync.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.support.LogCapture;
import org.moodlesync.support.SftpTestServer;
import org.moodlesync.support.SyncFixture;

/** SFTP sources through the real routes/sources.yaml against a real SFTP server (Apache MINA SSHD). */
class SftpSourcesTest {
    /** Characters that break a URI unless the route keeps them RAW. */
    static final String PASSWORD = "s3cr&t+p%ss#w=rd?ü";
    static final String EVERY_SECOND = "0/1 * * * * ?";

    @TempDir
    Path tmp;
    SyncFixture sync;
    SftpTestServer server;

    @BeforeEach
    void start() throws Exception {
        sync = new SyncFixture(tmp.resolve("sync"));
    }

    @AfterEach
    void stop() throws Exception {
        sync.close();
        if (server != null) {
            server.close();
        }
    }

    /** Configures the source "hr" on the test server's upload folder, polled every second. */
    private Path source(String knownHostsContent) throws Exception {
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), knownHostsContent);
        sync.set("sync.sources", "hr")
                .set("sources.hr.host", "127.0.0.1")
                .set("sources.hr.port", Integer.toString(server.port()))
                .set("sources.hr.user", SftpTestServer.USER)
                .set("sources.hr.folder", "upload")
                .set("sources.hr.cron", EVERY_SECOND)
                .set("sources.hr.known-hosts", knownHosts.toString());
        return knownHosts;
    }

    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(100);
        }
    }

    static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void passwordLogInAgainstAKnownHostDownloadsIntoTheInboxArchivesRemotelyAndLogsNoSecret() throws Exception {
        server = new SftpTestServer(tmp.resolve("remote"), PASSWORD, null);
        server.put("upload", "userimport.csv", "username;firstname;lastname;email\nann;Ann;One;ann@example.org\nbob;Bob;Two;bob@example.org\n");
        server.put("upload", "notes.txt", "not a feed file");
        source(server.knownHostsLine() + "\n");
        sync.set("sources.hr.password", PASSWORD);

        try (LogCapture log = new LogCapture(Map.of("org.apache.camel", Level.DEBUG, "com.jcraft", Level.DEBUG))) {
            sync.startPolling();
            await("the users are imported", () -> sync.count("SELECT count(*) FROM mdl_user WHERE username IN ('ann', 'bob')") == 2);
            await("the remote file is archived", () -> names(server.root.resolve("upload/archive")).size() == 1);
            sync.close();

            assertTrue(names(server.root.resolve("upload/archive")).get(0).matches("\\d{8}-\\d{6}_userimport\\.csv"));
            assertEquals(List.of("notes.txt"), names(server.root.resolve("upload")), "only files matching the include pattern are taken");
            assertEquals(1, names(sync.dir.resolve("archive")).size(), "the downloaded file went through the pipeline once");
            String logged = log.text();
            assertTrue(logged.contains("sftp source hr: userimport.csv downloaded into the inbox"), logged);
            assertFalse(logged.contains(PASSWORD), "the password is in the log");
            assertFalse(logged.contains("s3cr"), "part of the password is in the log");
        }
    }

    @Test
    void keyLogInWithAPassphraseDeletesTheRemoteFileAfterDownload() throws Exception {
        server = new SftpTestServer(tmp.resolve("remote"), "unused-password", null);
        server.put("upload", "userimport.csv", "username;firstname;lastname\ncid;Cid;Three\n");
        source(server.knownHostsLine() + "\n");
        Path key = server.writeClientKey(tmp.resolve("keys/id_rsa"), "key passphrase");
        sync.set("sources.hr.private-key-file", key.toString())
                .set("sources.hr.private-key-passphrase", "key passphrase")
                .set("sources.hr.after", "delete");

        sync.startPolling();
        await("the user is imported", () -> sync.count("SELECT count(*) FROM mdl_user WHERE username = 'cid'") == 1);
        await("the remote file is deleted", () -> names(server.root.resolve("upload")).isEmpty());
        assertFalse(Files.exists(server.root.resolve("upload/archive")), "nothing is archived remotely when after=delete");
    }

    @Test
    void anUnknownHostKeyIsRefusedNamingTheHostAndTheFingerprint() throws Exception {
        server = new SftpTestServer(tmp.resolve("remote"), PASSWORD, null);
        server.put("upload", "userimport.csv", "username\ndan\n");
        // known_hosts knows another server only
        Path knownHosts = source(SftpTestServer.knownHostsLine(server.port() + 1, SftpTestServer.ecKeyPair()) + "\n");
        sync.set("sources.hr.password", PASSWORD);

        String message = refusal();
        assertTrue(message.contains("the host key of 127.0.0.1:" + server.port() + " (it offers ecdsa-sha2-nistp256 "
                + server.hostKeyFingerprint() + ") is not in " + knownHosts + ": refused"), message);
        assertTrue(message.contains("ssh-keyscan -p " + server.port() + " 127.0.0.1"), message);
    }

    @Test
    void aChangedHostKeyIsRefusedNamingTheHostAndTheNewFingerprint() throws Exception {
        server = new SftpTestServer(tmp.resolve("remote"), PASSWORD, null);
        server.put("upload", "userimport.csv", "username\ndan\n");
        // known_hosts holds another key for this very host and port
        source(SftpTestServer.knownHostsLine(server.port(), SftpTestServer.ecKeyPair()) + "\n");
        sync.set("sources.hr.password", PASSWORD);

        String message = refusal();
        assertTrue(message.contains("the host key of 127.0.0.1:" + server.port() + " has CHANGED (it offers ecdsa-sha2-nistp256 "
                + server.hostKeyFingerprint() + ")"), message);
    }

    /** Starts polling a source whose host key is refused; returns the one ERROR line said about it, after checking nothing was fetched. */
    private String refusal() throws Exception {
        try (LogCapture log = new LogCapture(Map.of())) {
            sync.startPolling();
            Path errorFile = sync.dir.resolve("failed/source-hr.error.txt");
            await("the refusal is written", () -> Files.exists(errorFile));
            Thread.sleep(2_500); // more refused polls: still one line
            sync.close();
            // the test server's own complaints about the refused connections are not moodle-sync's log
            List<String> ours = log.lines().stream().filter(l -> !l.contains(" org.apache.sshd.")).toList();
            List<String> errors = ours.stream().filter(l -> l.startsWith("ERROR")).toList();
            assertEquals(1, errors.size(), "one ERROR line per failure streak: " + ours);
            assertTrue(ours.stream().noneMatch(l -> l.contains("\tat ")), "no stack trace: " + ours);
            assertTrue(sync.read(errorFile).contains(errors.get(0).substring(errors.get(0).indexOf("sftp source hr:"))));
            assertEquals(List.of("userimport.csv"), names(server.root.resolve("upload")), "the remote file stays");
            assertEquals(List.of(), names(sync.dir.resolve("inbox")));
            assertEquals(0, sync.count("SELECT count(*) FROM mdl_user WHERE username = 'dan'"));
            return errors.get(0);
        }
    }
}
