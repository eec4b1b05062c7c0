package org.moodlesync.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.config.ConfigLoader;
import org.moodlesync.config.SyncConfig;

/** A source's configuration is checked at start, with messages naming the key to fix. */
class SftpSourceTest {
    @TempDir
    Path home;

    private SyncConfig config(Map<String, String> keys) {
        Map<String, String> values = new HashMap<>(keys);
        values.put("sync.sources", "hr");
        return new SyncConfig(values, home);
    }

    private Map<String, String> valid() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/known_hosts"), "sftp.example.org ssh-ed25519 AAAA\n");
        Map<String, String> keys = new HashMap<>();
        keys.put("sources.hr.host", "sftp.example.org");
        keys.put("sources.hr.user", "moodle");
        keys.put("sources.hr.password", "secret");
        return keys;
    }

    private String refusal(Map<String, String> keys) {
        return assertThrows(IllegalArgumentException.class, () -> SftpSource.read(config(keys), "hr")).getMessage();
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        SftpSource s = SftpSource.read(config(valid()), "hr");
        assertEquals(22, s.port());
        assertEquals(".*\\.(csv|zip)", s.include());
        assertEquals("0 0/5 * * * ?", s.cron());
        assertEquals("archive", s.archiveFolder());
        assertEquals(home.resolve("config/known_hosts"), s.knownHosts());
        assertTrue(s.verifyHostKeys());
        assertTrue(!s.toString().contains("secret"), "the secrets stay out of toString");
    }

    @Test
    void misconfiguredSourcesAreRefusedWithTheKeyToFix() throws Exception {
        Map<String, String> keys = valid();
        keys.remove("sources.hr.host");
        assertEquals("sftp source hr: sources.hr.host is missing (the SFTP server's host name)", refusal(keys));

        keys = valid();
        keys.put("sources.hr.private-key-file", "keys/id_ed25519");
        assertTrue(refusal(keys).contains("set exactly one of sources.hr.password and sources.hr.private-key-file (both are set)"));
        keys.remove("sources.hr.password");
        assertTrue(refusal(keys).contains("the private key file " + home.resolve("keys/id_ed25519") + " (sources.hr.private-key-file) does not exist or cannot be read"));
        keys.remove("sources.hr.private-key-file");
        assertTrue(refusal(keys).contains("(neither is set)"));

        keys = valid();
        keys.put("sources.hr.known-hosts", "config/nowhere");
        assertTrue(refusal(keys).contains("the known_hosts file " + home.resolve("config/nowhere") + " (sources.hr.known-hosts) does not exist"));
        keys.put("sources.hr.verify-host-keys", "false");
        assertEquals(false, SftpSource.read(config(keys), "hr").verifyHostKeys());

        keys = valid();
        keys.put("sources.hr.cron", "every 5 minutes");
        assertTrue(refusal(keys).contains("sources.hr.cron \"every 5 minutes\" is not a quartz cron expression"));
        keys = valid();
        keys.put("sources.hr.after", "keep");
        assertTrue(refusal(keys).contains("sources.hr.after must be archive or delete"));
        keys.put("sources.hr.after", "delete");
        assertNull(SftpSource.read(config(keys), "hr").archiveFolder());
    }

    @Test
    void secretsComeFromTheEnvironmentWithoutBeingInAnyFile() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/application.properties"), "sync.sources =\n");
        SyncConfig c = ConfigLoader.load(home, null, Map.of("SYNC_SOURCES", "hr, sis", "SOURCES_HR_PASSWORD", "from env",
                "SOURCES_SIS_PRIVATE_KEY_PASSPHRASE", "pass phrase"), new Properties());
        assertEquals("from env", c.get("sources.hr.password"));
        assertEquals("pass phrase", c.get("sources.sis.private-key-passphrase"));
        assertEquals(java.util.List.of("hr", "sis"), ConfigLoader.sourceNames(c.get("sync.sources")));
    }
}
