package org.moodlesync.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the configuration from, lowest precedence first: {@code config/application.properties}
 * of the moodle-sync home, the {@code --config FILE} given on the command line, environment
 * variables (a key's upper-case form with dots and dashes as underscores: {@code moodle.db.url}
 * is {@code MOODLE_DB_URL}), and {@code -Dkey=value} system properties.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static SyncConfig load(Path home, Path extraFile, Map<String, String> env, Properties system) {
        Map<String, String> values = new HashMap<>();
        Path defaults = home.resolve("config/application.properties");
        if (Files.isRegularFile(defaults)) {
            values.putAll(read(defaults));
        }
        if (extraFile != null) {
            if (!Files.isRegularFile(extraFile)) {
                throw new IllegalArgumentException("configuration file " + extraFile + " does not exist");
            }
            values.putAll(read(extraFile));
        }
        for (String key : Map.copyOf(values).keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        // a source's keys need not be in any file: SOURCES_HR_PASSWORD alone sets sources.hr.password
        for (String name : sourceNames(system.getProperty(ConfigKeys.SOURCES, values.get(ConfigKeys.SOURCES)))) {
            for (String sourceKey : ConfigKeys.SOURCE_KEYS) {
                String key = ConfigKeys.source(name, sourceKey);
                String fromEnv = env.get(envName(key));
                if (fromEnv != null) {
                    values.put(key, fromEnv);
                }
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("moodle.") || key.startsWith("sync.") || key.startsWith("users.")
                    || key.startsWith("feeds.") || key.startsWith("camel.") || key.startsWith("courses.")
                    || key.startsWith("enrols.") || key.startsWith("cohorts.") || key.startsWith("groups.")
                    || key.startsWith("pictures.") || key.startsWith("sources.")) {
                values.put(key, system.getProperty(key));
            }
        }
        values.put(ConfigKeys.HOME, home.toAbsolutePath().toString());
        return new SyncConfig(values, home.toAbsolutePath());
    }

    /** The names listed in {@code sync.sources} (comma or space separated). */
    public static List<String> sourceNames(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }
}
