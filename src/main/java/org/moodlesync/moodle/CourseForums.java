package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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

    /** Which new courses get a forum, of which type, and the ids their forum and course module will have. */
    static final class Plan {
        private final String[] types;
        private final long[] forumIds;
        private final long[] moduleIds;
        private final long module;

        private Plan(String[] types, long[] forumIds, long[] moduleIds, long module) {
            this.types = types;
            this.forumIds = forumIds;
            this.moduleIds = moduleIds;
            this.module = module;
        }

        /** The course module id of the i-th new course's forum, or 0 when it gets none. */
        long moduleOf(int i) {
            return moduleIds[i];
        }
    }

    /** Decides each new course's forum ({@link #forumType}) and takes the ids, so that its section 0 can list it at once. */
    Plan plan(Connection c, List<NewCourse> courses) throws SQLException {
        String[] types = new String[courses.size()];
        int count = 0;
        for (int i = 0; i < courses.size(); i++) {
            Map<String, Object> v = courses.get(i).values();
            Object newsitems = v.getOrDefault("newsitems", 0L);
            types[i] = forumType(String.valueOf(v.get("format")), newsitems instanceof Number n ? n.longValue() : 0);
            count += types[i] == null ? 0 : 1;
        }
        Long module = count == 0 ? null : forumModule(c);
        long[] forumIds = new long[courses.size()];
        long[] moduleIds = new long[courses.size()];
        if (module == null) {
            // a site without mod_forum gets no course forum
            return new Plan(new String[courses.size()], forumIds, moduleIds, 0);
        }
        long[] forumSeq = Ids.next(c, db, "forum", count);
        long[] moduleSeq = Ids.next(c, db, "course_modules", count);
        for (int i = 0, k = 0; i < courses.size(); i++) {
            if (types[i] != null) {
                forumIds[i] = forumSeq[k];
                moduleIds[i] = moduleSeq[k++];
            }
        }
        return new Plan(types, forumIds, moduleIds, module);
    }

    /** Writes the planned forums and their course modules in the sections 0 given. */
    void insert(Connection c, Plan plan, long[] courseIds, long[] sectionZero, SiteSettings site, long now) throws SQLException {
        List<Object[]> forums = new ArrayList<>();
        List<Object[]> modules = new ArrayList<>();
        for (int i = 0; i < courseIds.length; i++) {
            String type = plan.types[i];
            if (type == null) {
                continue;
            }
            boolean news = type.equals("news");
            String[] text = NAME_AND_INTRO.get(type);
            forums.add(new Object[] {plan.forumIds[i], courseIds[i], type, text[0], text[1], 1,
                news ? site.intCore("forum_announcementsubscription", 1) : 0,
                news ? site.intCore("forum_announcementmaxattachments", 1) : 1, 0, now});
            modules.add(new Object[] {plan.moduleIds[i], courseIds[i], plan.module, plan.forumIds[i], sectionZero[i], now});
        }
        RowInserter.insert(c, db, "forum", List.of("id", "course", "type", "name", "intro", "introformat", "forcesubscribe",
                "maxattachments", "assessed", "timemodified"), forums);
        RowInserter.insert(c, db, "course_modules", List.of("id", "course", "module", "instance", "section", "added"), modules);
    }

    private Long forumModule(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + db.table("modules") + " WHERE name = 'forum'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
