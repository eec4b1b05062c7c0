package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The enrolment methods of courses (enrol rows). A new course gets the site's default instances
 * as enrol_course_updated() adds them: manual, guest and self, each when its plugin is enabled
 * and its defaultenrol setting is on, with the plugin's configured status and settings.
 */
public final class EnrolInstances {
    /** The plugins create_course() adds, in their order (which is their sortorder). */
    private static final List<String> DEFAULT_PLUGINS = List.of("manual", "guest", "self");
    private static final List<String> COLUMNS = List.of("enrol", "status", "courseid", "sortorder", "roleid", "enrolperiod", "expirynotify",
            "expirythreshold", "password", "customint1", "customint2", "customint3", "customint4", "customint5", "customint6",
            "timecreated", "timemodified");

    private final MoodleDatabase db;

    public EnrolInstances(MoodleDatabase db) {
        this.db = db;
    }

    void createDefaults(Connection c, long[] courseIds, List<NewCourse> courses, SiteSettings site, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < courseIds.length; i++) {
            int sortorder = 0;
            for (String plugin : DEFAULT_PLUGINS) {
                Boolean wanted = plugin.equals("self") ? courses.get(i).selfEnabled() : plugin.equals("guest") ? courses.get(i).guestEnabled() : null;
                if (!enabled(site, plugin) || (wanted == null && !"1".equals(site.plugin("enrol_" + plugin, "defaultenrol", "0")))) {
                    continue;
                }
                rows.add(row(plugin, courseIds[i], sortorder++, wanted, site, now));
            }
        }
        RowInserter.insert(c, db, "enrol", COLUMNS, rows);
    }

    /** Every column of an enrol instance but its id, course and times: what a copied method keeps. */
    private static final String SETTINGS = "enrol, status, sortorder, name, enrolperiod, enrolstartdate, enrolenddate, expirynotify, expirythreshold,"
            + " notifyall, password, cost, currency, roleid, customint1, customint2, customint3, customint4, customint5, customint6, customint7,"
            + " customint8, customchar1, customchar2, customchar3, customdec1, customdec2, customtext1, customtext2, customtext3, customtext4";

    /** The template's enrol methods, with their settings, for a course made from it. */
    void copy(Connection c, long fromCourse, long toCourse, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db.table("enrol") + " (" + SETTINGS + ", courseid, timecreated, timemodified)"
                + " SELECT " + SETTINGS + ", ?, ?, ? FROM " + db.table("enrol") + " WHERE courseid = ? ORDER BY sortorder, id")) {
            ps.setLong(1, toCourse);
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.setLong(4, fromCourse);
            ps.executeUpdate();
        }
    }

    /**
     * The self or guest column of a course line: enables or disables the course's first instance
     * of the plugin, adding one when it has none and it must be enabled. Returns whether anything changed.
     */
    public boolean setEnabled(Connection c, long courseId, String plugin, boolean enable, SiteSettings site, long now) throws SQLException {
        try (PreparedStatement find = c.prepareStatement("SELECT id, status FROM " + db.table("enrol") + " WHERE courseid = ? AND enrol = ? ORDER BY sortorder, id LIMIT 1")) {
            find.setLong(1, courseId);
            find.setString(2, plugin);
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    int status = enable ? 0 : 1;
                    if (rs.getInt(2) == status) {
                        return false;
                    }
                    EnrolSql.setStatus(c, db, rs.getLong(1), status, now);
                    return true;
                }
            }
        }
        if (!enable || !enabled(site, plugin)) {
            // a method the site has switched off is not added to courses, as create does not add it either
            return false;
        }
        int sortorder = (int) EnrolSql.nextSortorder(c, db, courseId);
        List<Object[]> one = new ArrayList<>();
        one.add(row(plugin, courseId, sortorder, true, site, now));
        RowInserter.insert(c, db, "enrol", COLUMNS, one);
        return true;
    }

    private static boolean enabled(SiteSettings site, String plugin) {
        for (String p : site.core("enrol_plugins_enabled", "manual").split(",")) {
            if (p.trim().equals(plugin)) {
                return true;
            }
        }
        return false;
    }

    /** An instance row with the plugin's configured defaults, as each plugin's add_default_instance() writes it. */
    private static Object[] row(String plugin, long courseId, int sortorder, Boolean wanted, SiteSettings site, long now) {
        String p = "enrol_" + plugin;
        long status = wanted != null ? (wanted ? 0 : 1) : Long.parseLong(site.plugin(p, "status", plugin.equals("manual") ? "0" : "1"));
        Long roleid = plugin.equals("guest") ? 0L : Long.parseLong(site.plugin(p, "roleid", "5"));
        Long enrolperiod = plugin.equals("guest") ? 0L : Long.parseLong(site.plugin(p, "enrolperiod", "0"));
        Long expirynotify = plugin.equals("guest") ? 0L : Long.parseLong(site.plugin(p, "expirynotify", "0"));
        Long expirythreshold = plugin.equals("guest") ? 0L : Long.parseLong(site.plugin(p, "expirythreshold", "86400"));
        String password = plugin.equals("guest") ? "" : null;
        Long[] custom = new Long[6];
        if (plugin.equals("manual")) {
            custom[0] = Long.parseLong(site.plugin(p, "sendcoursewelcomemessage", "1"));
        } else if (plugin.equals("self")) {
            custom[0] = Long.parseLong(site.plugin(p, "groupkey", "0"));
            custom[1] = Long.parseLong(site.plugin(p, "longtimenosee", "0"));
            custom[2] = Long.parseLong(site.plugin(p, "maxenrolled", "0"));
            custom[3] = Long.parseLong(site.plugin(p, "sendcoursewelcomemessage", "1"));
            custom[4] = 0L;
            custom[5] = Long.parseLong(site.plugin(p, "newenrols", "1"));
        }
        return new Object[] {plugin, status, courseId, sortorder, roleid, enrolperiod, expirynotify, expirythreshold, password,
                custom[0], custom[1], custom[2], custom[3], custom[4], custom[5], now, now};
    }
}
