package org.moodlesync.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.support.Inboxes;
import org.moodlesync.support.OpenSshTestServer;
import org.moodlesync.support.SyncFixture;

/**
 * SFTP sources against Debian's OpenSSH server, whose login folder is the user's home and not the root: an
 * absolute folder (docs/sources.md's {@code /outbox} case) is read where it is, a relative one below the home.
 */
class OpenSshSourceTest {
    @TempDir
    Path tmp;
    private Path belowHome;

    @AfterEach
    void cleanHome() throws Exception {
        if (belowHome != null) {
            try (var walk = Files.walk(belowHome)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void absoluteAndRelativeFoldersOnARealOpenSshServer() throws Exception {
        try (OpenSshTestServer server = new OpenSshTestServer(tmp.resolve("sshd"));
             SyncFixture sync = new SyncFixture(tmp.resolve("sync"))) {
            Path outbox = Files.createDirectories(tmp.resolve("srv/outbox")).toAbsolutePath();
            Files.createDirectories(tmp.resolve("srv/done"));
            Files.writeString(outbox.resolve("userimport.csv"), "username;firstname;lastname;email\nabs;Abs;Olute;abs@example.org\n");
            belowHome = Files.createTempDirectory(server.home, "moodlesync-sftp-test-");
            Files.writeString(belowHome.resolve("userimport_rel.csv"), "username;firstname;lastname;email\nrel;Rel;Ative;rel@example.org\n");
            for (String[] source : List.of(new String[] {"abs", outbox.toString()},
                    new String[] {"rel", server.home.relativize(belowHome).toString()})) {
                String name = source[0];
                sync.set("sources." + name + ".host", "127.0.0.1")
                        .set("sources." + name + ".port", Integer.toString(server.port()))
                        .set("sources." + name + ".user", server.user)
                        .set("sources." + name + ".private-key-file", server.clientKey.toString())
                        .set("sources." + name + ".folder", source[1])
                        .set("sources." + name + ".cron", "0/1 * * * * ?")
                        .set("sources." + name + ".known-hosts", server.knownHosts.toString());
            }
            Path done = tmp.resolve("srv/done").toAbsolutePath();
            sync.set("sync.sources", "abs,rel").set("sources.abs.archive-folder", done.toString());
            sync.startPolling();
            Inboxes.await("both files are imported", 60_000,
                    () -> sync.count("SELECT count(*) FROM mdl_user WHERE username IN ('abs', 'rel')") == 2);
            Inboxes.await("both remote files are archived in their own folders", 30_000,
                    () -> Inboxes.names(done).size() == 1 && Inboxes.names(belowHome.resolve("archive")).size() == 1);
            sync.close();
            assertEquals(List.of(), Inboxes.names(outbox), "the absolute folder itself was read, not a folder of that name below the home");
        }
    }
}
