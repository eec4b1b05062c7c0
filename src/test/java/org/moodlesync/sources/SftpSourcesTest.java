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
        org.moodlesync.support.Inboxes.await(what, 30_000, condition::call);
    }

    static List<String> names(Path dir) throws Exception {
        return org.moodlesync.support.Inboxes.names(dir);
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
    void keyLogInWithAPassphraseTakesTheHomeFolderAndDeletesTheRemoteFileAfterDownload() throws Exception {
        server = new SftpTestServer(tmp.resolve("remote"), "unused-password", null);
        server.put(".", "userimport.csv", "username;firstname;lastname\ncid;Cid;Three\n");
        source(server.knownHostsLine() + "\n");
        Path key = server.writeClientKey(tmp.resolve("keys/id_rsa"), "key passphrase");
        sync.set("sources.hr.folder", "")
                .set("sources.hr.private-key-file", key.toString())
                .set("sources.hr.private-key-passphrase", "key passphrase")
                .set("sources.hr.after", "delete");

        sync.startPolling();
        await("the user is imported", () -> sync.count("SELECT count(*) FROM mdl_user WHERE username = 'cid'") == 1);
        await("the remote file is deleted", () -> names(server.root).isEmpty());
        assertFalse(Files.exists(server.root.resolve("archive")), "nothing is archived remotely when after=delete");
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

    @Test
    void aConnectionDroppedDuringATransferLeavesNothingInTheInboxAndTheFileArrivesWholeLater() throws Exception {
        StringBuilder csv = new StringBuilder("username;firstname;lastname;email\n");
        for (int i = 0; i < 3000; i++) {
            csv.append("user").append(i).append(";First").append(i).append(";Last").append(i).append(";user").append(i).append("@example.org\n");
        }
        Path inbox = sync.dir.resolve("inbox");
        DropFirstTransfer drop = new DropFirstTransfer("userimport.csv", 40_000, inbox);
        server = new SftpTestServer(tmp.resolve("remote"), PASSWORD, drop);
        server.put("upload", "userimport.csv", csv.toString());
        assertTrue(csv.length() > 100_000);
        source(server.knownHostsLine() + "\n");
        sync.set("sources.hr.password", PASSWORD);

        sync.startPolling();
        await("the users are imported", () -> sync.count("SELECT count(*) FROM mdl_user WHERE username LIKE 'user%'") == 3000);
        await("the remote file is archived", () -> names(server.root.resolve("upload/archive")).size() == 1);

        assertTrue(drop.opens.get() >= 2, "the file was fetched again after the drop");
        assertEquals(List.of(), drop.inboxAfterDrop, "the inbox held nothing (not even a hidden part) after the dropped transfer");
        assertTrue(drop.remoteStayed, "the remote file stayed after the dropped transfer");
        // the users are in before the file is archived: wait for the archive, then check it is the only run
        await("the file archived", () -> names(sync.dir.resolve("archive")).size() == 1);
        Thread.sleep(1_500);
        assertEquals(1, names(sync.dir.resolve("archive")).size(), "the pipeline processed the file once, whole");
        assertEquals(1, sync.app().summaries().size());
    }

    /** Closes the SSH session once the first transfer of a file has sent some bytes; records the inbox when the file is opened again. */
    static final class DropFirstTransfer implements org.apache.sshd.sftp.server.SftpEventListener {
        final String fileName;
        final long dropAfter;
        final Path inbox;
        final java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        volatile List<String> inboxAfterDrop;
        volatile boolean remoteStayed;
        private volatile boolean dropped;

        DropFirstTransfer(String fileName, long dropAfter, Path inbox) {
            this.fileName = fileName;
            this.dropAfter = dropAfter;
            this.inbox = inbox;
        }

        @Override
        public void open(org.apache.sshd.server.session.ServerSession session, String remoteHandle, org.apache.sshd.sftp.server.Handle localHandle) {
            if (localHandle.getFile().getFileName().toString().equals(fileName) && opens.incrementAndGet() == 2) {
                try (Stream<Path> everything = Files.walk(inbox)) {
                    inboxAfterDrop = everything.filter(Files::isRegularFile).filter(p -> !p.startsWith(inbox.resolve(SftpSources.WORK_FOLDER)))
                            .map(p -> inbox.relativize(p).toString()).sorted().toList();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                remoteStayed = Files.exists(localHandle.getFile());
            }
        }

        @Override
        public void read(org.apache.sshd.server.session.ServerSession session, String remoteHandle, org.apache.sshd.sftp.server.FileHandle localHandle,
                         long offset, byte[] data, int dataOffset, int dataLen, int readLen, Throwable thrown) throws java.io.IOException {
            if (!dropped && localHandle.getFile().getFileName().toString().equals(fileName) && offset >= dropAfter) {
                dropped = true;
                session.close(true);
            }
        }
    }

    @Test
    void turningHostKeyVerificationOffTakesAnExplicitSettingAndWarnsAtEveryStart() throws Exception {
        server = new SftpTestServer(tmp.resolve("remote"), PASSWORD, null);
        server.put("upload", "userimport.csv", "username;firstname;lastname\neve;Eve;Five\n");
        source("");
        sync.set("sources.hr.password", PASSWORD).set("sources.hr.known-hosts", tmp.resolve("absent").toString());
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, sync::startPolling);
        assertTrue(refused.getMessage().contains("the known_hosts file " + tmp.resolve("absent") + " (sources.hr.known-hosts) does not exist"),
                refused.getMessage());

        sync.set("sources.hr.verify-host-keys", "false");
        try (LogCapture log = new LogCapture(Map.of())) {
            sync.startPolling();
            await("the user is imported", () -> sync.count("SELECT count(*) FROM mdl_user WHERE username = 'eve'") == 1);
            sync.close();
            sync.startPolling();
            sync.close();
            long warnings = log.lines().stream().filter(l -> l.startsWith("WARN sources sftp source hr: host keys are NOT verified")).count();
            assertEquals(2, warnings, log.text());
        }
        assertFalse(Files.exists(tmp.resolve("absent")), "no known_hosts file is written");
    }

    @Test
    void aFileOfTheSameNameWaitingInTheInboxIsNotOverwritten() throws Exception {
        server = new SftpTestServer(tmp.resolve("remote"), PASSWORD, null);
        source(server.knownHostsLine() + "\n");
        // the intake polls once just after the start, then not for ten minutes: the waiting file stays waiting
        sync.set("sources.hr.password", PASSWORD).set("sync.intake.poll-delay", "600000");
        Files.createDirectories(server.root.resolve("upload"));
        try (LogCapture log = new LogCapture(Map.of())) {
            sync.startPolling();
            Thread.sleep(1_000);
            Path waiting = Files.writeString(sync.dir.resolve("inbox/userimport.csv"), "username;firstname;lastname\nwaiting;W;W\n");
            server.put("upload", "userimport.csv", "username;firstname;lastname\nnewer;N;N\n");
            await("the download is refused", () -> log.text().contains("sftp source hr: userimport.csv was downloaded but could not be put into the inbox"));
            assertEquals("username;firstname;lastname\nwaiting;W;W\n", sync.read(waiting));
            assertEquals(List.of("userimport.csv"), names(server.root.resolve("upload")), "the remote file stays");
            assertEquals(List.of("userimport.csv"), names(sync.dir.resolve("inbox")), "no partial or hidden file is left");
        }
    }
}
