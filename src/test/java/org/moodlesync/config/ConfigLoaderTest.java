package org.moodlesync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence: config/application.properties < --config FILE < environment < -D system properties. */
class ConfigLoaderTest {
    @TempDir
    Path home;

    @Test
    void laterSourcesOverrideEarlierOnesAndFoldersResolveAgainstTheHome() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/application.properties"),
                "moodle.db.url = jdbc:postgresql://file/moodle\nmoodle.db.user = fromfile\nmoodle.db.password = fromfile\nmoodle.db.prefix = mdl_\nsync.inbox = work/inbox\n");
        Path extra = home.resolve("site.properties");
        Files.writeString(extra, "moodle.db.user = fromextra\nmoodle.db.password = fromextra\nmoodle.db.prefix = m41_\n");
        Properties system = new Properties();
        system.setProperty("moodle.db.prefix", "fromsystem_");
        system.setProperty("java.version", "ignored");

        SyncConfig c = ConfigLoader.load(home, extra, Map.of("MOODLE_DB_PASSWORD", "fromenv", "MOODLE_DB_PREFIX", "fromenv_"), system);

        assertEquals("jdbc:postgresql://file/moodle", c.get("moodle.db.url"));
        assertEquals("fromextra", c.get("moodle.db.user"));
        assertEquals("fromenv", c.get("moodle.db.password"));
        assertEquals("fromsystem_", c.get("moodle.db.prefix"));
        assertEquals(home.resolve("work/inbox").toAbsolutePath(), c.path("sync.inbox"));
        assertEquals("MOODLE_DB_PASSWORD", ConfigLoader.envName("moodle.db.password"));
        assertEquals("USERS_ALLOW_RENAME", ConfigLoader.envName("users.allow-rename"));
    }

    @Test
    void aMissingConfigFileIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(home, home.resolve("nope.properties"), Map.of(), new Properties()));
        assertEquals("configuration file " + home.resolve("nope.properties") + " does not exist", e.getMessage());
    }
}
