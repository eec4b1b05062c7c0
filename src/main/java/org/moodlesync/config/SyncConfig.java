package org.moodlesync.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The merged configuration (see {@link ConfigLoader} for the precedence), with typed getters.
 * Key names are an interface that operators' scripts use: they live in {@link ConfigKeys} and
 * are documented in config/application.properties.
 */
public final class SyncConfig {
    private final Map<String, String> values;
    private final Path home;

    public SyncConfig(Map<String, String> values, Path home) {
        this.values = new TreeMap<>(values);
        this.home = home;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("missing configuration key " + key);
        }
        return v.trim();
    }

    public String get(String key, String fallback) {
        String v = values.get(key);
        return v == null ? fallback : v.trim();
    }

    public boolean flag(String key) {
        return flag(key, false);
    }

    /** true/1/yes/on or false/0/no/off; empty or absent gives the fallback. */
    public boolean flag(String key, boolean fallback) {
        String v = get(key, "").toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return fallback;
        }
        return v.equals("true") || v.equals("1") || v.equals("yes") || v.equals("on");
    }

    public int integer(String key, int fallback) {
        String v = get(key, null);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not \"" + v + "\"");
        }
    }

    /** A folder key, resolved against the moodle-sync home when relative. */
    public Path path(String key) {
        return home.resolve(get(key)).normalize().toAbsolutePath();
    }

    public Path home() {
        return home;
    }

    /** Every key set, in order. */
    public java.util.Set<String> keys() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** The keys starting with the prefix, without it (e.g. the options of a component). */
    public java.util.Map<String, Object> withPrefix(String prefix) {
        java.util.Map<String, Object> m = new java.util.TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && !v.isBlank()) {
                m.put(k.substring(prefix.length()), v.trim());
            }
        });
        return m;
    }

    /** This configuration, with the key set to the value unless it has one already. */
    public SyncConfig withDefault(String key, String value) {
        return values.containsKey(key) && !values.get(key).isBlank() ? this : with(key, value);
    }

    public SyncConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new SyncConfig(copy, home);
    }

    public Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** What Camel gets as override properties: every key, with folders made absolute. */
    public Properties toCamelProperties() {
        Properties p = new Properties();
        p.putAll(values);
        for (String key : ConfigKeys.FOLDERS) {
            if (values.containsKey(key)) {
                p.setProperty(key, path(key).toString());
            }
        }
        return p;
    }
}
