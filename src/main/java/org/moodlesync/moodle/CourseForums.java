package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forum that mod_forum's {@code course_created} observer adds to every new course
 * ({@code forum_get_course_forum()}): an Announcements forum (type {@code news}) when the course's
 * format supports news (topics, weeks) and {@code newsitems} is above 0, a Social forum for the
 * social format. Each is a {@code forum} row, a {@code course_modules} row in section 0 and that
 * section's sequence; like Moodle, no module context is made (Moodle makes it on first use).
 */
final class CourseForums {
    /** forum_get_course_forum() names them with get_string() in the site's language; English is what a site without a pack shows. */
    private static final Map<String, String[]> NAME_AND_INTRO = Map.of(
            "news", new String[] {"Announcements", "General news and announcements"},
            "social", new String[] {"Social forum", "An open forum for chatting about anything you want to"});

    private final MoodleDatabase db;

    CourseForums(MoodleDatabase db) {
        this.db = db;
    }

    /** Which course forum a new course gets: "news", "social" or null, as the observer decides. */
    static String forumType(String format, long newsitems) {
        if ((format.equals("topics") || format.equals("weeks")) && newsitems > 0) {
            return "news";
        }
        return format.equals("social") ? "social" : null;
    }

    /** Adds the course forum of each new course that gets one ({@link #forumType}). */
    void add(Connection c, long[] courseIds, List<NewCourse> courses, SiteSettings site, long now) throws SQLException {
        List<Long> withForum = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < courses.size(); i++) {
            Map<String, Object> v = courses.get(i).values();
            Object newsitems = v.getOrDefault("newsitems", 0L);
            String type = forumType(String.valueOf(v.get("format")), newsitems instanceof Number n ? n.longValue() : 0);
            if (type != null) {
                withForum.add(courseIds[i]);
                types.add(type);
            }
        }
        Long module = withForum.isEmpty() ? null : forumModule(c);
        if (module == null) {
            return;
        }
        Map<Long, Long> sectionZero = sectionZero(c, withForum);
        long[] forumIds = Ids.next(c, db, "forum", withForum.size());
        long[] cmIds = Ids.next(c, db, "course_modules", withForum.size());
        List<Object[]> forums = new ArrayList<>();
        List<Object[]> modules = new ArrayList<>();
        for (int i = 0; i < withForum.size(); i++) {
            String type = types.get(i);
            boolean news = type.equals("news");
            String[] text = NAME_AND_INTRO.get(type);
            forums.add(new Object[] {forumIds[i], withForum.get(i), type, text[0], text[1], 1,
                news ? site.intCore("forum_announcementsubscription", 1) : 0,
                news ? site.intCore("forum_announcementmaxattachments", 1) : 1, 0, now});
            modules.add(new Object[] {cmIds[i], withForum.get(i), module, forumIds[i], sectionZero.get(withForum.get(i)), now});
        }
        RowInserter.insert(c, db, "forum", List.of("id", "course", "type", "name", "intro", "introformat", "forcesubscribe",
                "maxattachments", "assessed", "timemodified"), forums);
        RowInserter.insert(c, db, "course_modules", List.of("id", "course", "module", "instance", "section", "added"), modules);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("course_sections") + " SET sequence = ? WHERE id = ?")) {
            for (int i = 0; i < withForum.size(); i++) {
                ps.setString(1, Long.toString(cmIds[i]));
                ps.setLong(2, sectionZero.get(withForum.get(i)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Long forumModule(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + db.table("modules") + " WHERE name = 'forum'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private Map<Long, Long> sectionZero(Connection c, List<Long> courseIds) throws SQLException {
        Map<Long, Long> ids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT course, id FROM " + db.table("course_sections")
                + " WHERE section = 0 AND course = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", courseIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return ids;
    }
}
