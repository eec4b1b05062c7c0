package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The site settings moodle-sync needs, read from Moodle's {@code config} and
 * {@code config_plugins} tables instead of hard-coding them, so a site configured differently
 * (another default language, same-email accounts allowed, extended username characters...) is
 * written the way its own Moodle would write it.
 */
public final class SiteSettings {
    /** Moodle 4.1.0's version number: the oldest release moodle-sync writes for. */
    public static final long MIN_VERSION = 2022112800L;

    private final Map<String, String> core;
    private final Map<String, String> plugins;
    private final Set<String> installedPlugins;

    private SiteSettings(Map<String, String> core, Map<String, String> plugins, Set<String> installedPlugins) {
        this.core = core;
        this.plugins = plugins;
        this.installedPlugins = installedPlugins;
    }

    public static SiteSettings load(Connection c, MoodleDatabase db) throws SQLException {
        Map<String, String> core = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, value FROM " + db.table("config"));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                core.put(rs.getString(1), rs.getString(2));
            }
        }
        Map<String, String> plugins = new HashMap<>();
        Set<String> installed = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT plugin, name, value FROM " + db.table("config_plugins")
                + " WHERE plugin LIKE 'auth\\_%' OR plugin LIKE 'enrol\\_%' OR plugin LIKE 'format\\_%'"
                + " OR plugin = 'moodlecourse'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                plugins.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
                if ("version".equals(rs.getString(2))) {
                    installed.add(rs.getString(1));
                }
            }
        }
        return new SiteSettings(core, plugins, installed);
    }

    public String core(String name, String fallback) {
        String v = core.get(name);
        return v == null ? fallback : v;
    }

    /** Whether the enrolment plugin is among the site's enabled ones ($CFG->enrol_plugins_enabled). */
    public boolean enrolPluginEnabled(String plugin) {
        return java.util.Arrays.stream(core("enrol_plugins_enabled", "manual").split(",")).map(String::trim).anyMatch(plugin::equals);
    }

    public String plugin(String plugin, String name, String fallback) {
        String v = plugins.get(plugin + "/" + name);
        return v == null ? fallback : v;
    }

    public long version() {
        String v = core.get("version");
        if (v == null) {
            return 0;
        }
        try {
            return (long) Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public String release() {
        return core("release", "unknown release");
    }

    public long mnetLocalHostId() {
        return Long.parseLong(core("mnet_localhost_id", "1"));
    }

    public String defaultLang() {
        return core("lang", "en");
    }

    /** The site's default country, or "" when the site has none ("0" in config). */
    public String defaultCountry() {
        String v = core("country", "");
        return "0".equals(v) ? "" : v;
    }

    public String defaultCity() {
        return core("defaultcity", "");
    }

    /** What a new user's timezone is: the forced one, or 99 (follow the server), as user_create_user leaves it. */
    public String defaultTimezone() {
        String forced = core("forcetimezone", "99");
        return forced.isEmpty() ? "99" : forced;
    }

    public boolean allowAccountsSameEmail() {
        return "1".equals(core("allowaccountssameemail", "0"));
    }

    public boolean extendedUsernameChars() {
        return "1".equals(core("extendedusernamechars", "0"));
    }

    public boolean authInstalled(String auth) {
        return installedPlugins.contains("auth_" + auth);
    }

    public boolean formatInstalled(String format) {
        return installedPlugins.contains("format_" + format);
    }

    /** The site's timezone (config timezone), in which dates without an offset are read. */
    public java.time.ZoneId zone() {
        try {
            return java.time.ZoneId.of(core("timezone", "UTC"));
        } catch (java.time.DateTimeException e) {
            return java.time.ZoneId.systemDefault();
        }
    }

    public Set<String> installedAuths() {
        Set<String> auths = new TreeSet<>();
        for (String p : installedPlugins) {
            if (p.startsWith("auth_")) {
                auths.add(p.substring(5));
            }
        }
        return auths;
    }

    /** Languages from config langlist when the site restricts them; empty when any installed pack is allowed. */
    public Set<String> langList() {
        String list = core("langlist", "").trim();
        Set<String> langs = new TreeSet<>();
        if (!list.isEmpty()) {
            Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(s -> s.contains("|") ? s.substring(0, s.indexOf('|')) : s).forEach(langs::add);
        }
        return langs;
    }
}
