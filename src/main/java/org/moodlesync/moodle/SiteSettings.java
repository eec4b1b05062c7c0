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

    /**
     * The values user_create_user() gives a new account for the columns a file leaves out: the
     * site's preference defaults ($CFG->defaultpreference_*, read through
     * core_user::get_property_default()), its calendar type, language, time zone 99, country
     * and city, and the empty description the upload tool's form stores.
     */
    public Map<String, Object> newUserDefaults() {
        // the settings do not change while they are held: worked out once, not for every new account
        if (newUserDefaults == null) {
            newUserDefaults = java.util.Collections.unmodifiableMap(workOutNewUserDefaults());
        }
        return newUserDefaults;
    }

    private Map<String, Object> newUserDefaults;

    private Map<String, Object> workOutNewUserDefaults() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        NEW_USER_PREFERENCES.forEach((column, fallback) -> d.put(column, intCore("defaultpreference_" + column, fallback)));
        String calendar = core("calendartype", "gregorian");
        d.put("calendartype", calendar.isEmpty() ? "gregorian" : calendar);
        d.put("lang", defaultLang());
        // user_create_user() leaves the column's 99 ("server time", which follows $CFG->forcetimezone or the site's zone)
        d.put("timezone", "99");
        d.put("country", defaultCountry());
        d.put("city", defaultCity());
        d.put("description", "");
        return d;
    }

    /** The user columns core_user::get_property_default() takes from $CFG->defaultpreference_*, with Moodle's own fallbacks. */
    private static final Map<String, Integer> NEW_USER_PREFERENCES = new java.util.LinkedHashMap<>(Map.of(
            "maildisplay", 2, "mailformat", 1, "maildigest", 0, "autosubscribe", 1, "trackforums", 0));

    /** A whole-number setting of config, or the fallback when it is absent or not a number. */
    public int intCore(String name, int fallback) {
        try {
            return Integer.parseInt(core(name, Integer.toString(fallback)).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A whole-number setting of config_plugins, or the fallback when it is absent or not a number. */
    public long longPlugin(String plugin, String name, long fallback) {
        try {
            return Long.parseLong(plugin(plugin, name, Long.toString(fallback)).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * The account Moodle's CLI tools and cron tasks act as (the first site administrator): the
     * {@code modifierid} of the enrolments and role assignments they make.
     */
    public long actingAdminId() {
        try {
            return Long.parseLong(core("siteadmins", "2").split(",")[0].trim());
        } catch (NumberFormatException e) {
            return 2;
        }
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

    /**
     * The time zone of the account Moodle's CLI and cron tasks act as (the admin, whose zone is
     * 99 "server time" on a fresh site): the forced zone, else the site's.
     */
    public java.time.ZoneId userZone() {
        String forced = core("forcetimezone", "99");
        if (!forced.isEmpty() && !forced.equals("99")) {
            try {
                return java.time.ZoneId.of(forced);
            } catch (java.time.DateTimeException e) {
                return zone();
            }
        }
        return zone();
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
