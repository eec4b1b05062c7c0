package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moodle's courses, read and written set-wise, as create_course() and update_course() write
 * them: the course row with a sortorder in its category's range, its context under the
 * category's, sections 0..n, the format's options, the site's default enrol instances, and the
 * category's course count.
 */
public final class MoodleCourses {
    /** Columns a feed may set, as read back for comparison. */
    public static final List<String> READ = List.of("fullname", "shortname", "idnumber", "summary", "format", "visible", "startdate",
            "enddate", "lang", "theme", "groupmode", "groupmodeforce", "showgrades", "newsitems", "maxbytes", "enablecompletion", "showreports");
    public static final Set<String> NUMERIC = Set.of("visible", "startdate", "enddate", "groupmode", "groupmodeforce", "showgrades",
            "newsitems", "maxbytes", "enablecompletion", "showreports");

    private final MoodleDatabase db;
    private final Contexts contexts;

    public MoodleCourses(MoodleDatabase db) {
        this.db = db;
        this.contexts = new Contexts(db);
    }

    /** Courses by shortname, idnumber or id (as text), one query for all the values. */
    public Map<String, List<Course>> by(Connection c, String column, Collection<String> values) throws SQLException {
        Map<String, List<Course>> found = new HashMap<>();
        if (values.isEmpty()) {
            return found;
        }
        String key = switch (column) {
            case "shortname", "idnumber" -> "co." + column + " = ANY(?)";
            case "id" -> "co.id = ANY(?)";
            default -> throw new IllegalArgumentException("cannot look courses up by " + column);
        };
        String sql = "SELECT co.id, co.category, co.sortorder, ctx.id AS ctxid, ctx.path AS ctxpath, "
                + String.join(", ", READ.stream().map(col -> "co." + col).toList())
                + " FROM " + db.table("course") + " co LEFT JOIN " + db.table("context") + " ctx ON ctx.contextlevel = "
                + ContextLevel.COURSE.level + " AND ctx.instanceid = co.id WHERE co.id <> 1 AND " + key;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (column.equals("id")) {
                List<Long> ids = new ArrayList<>();
                for (String v : values) {
                    if (v.matches("\\d{1,18}")) {
                        ids.add(Long.parseLong(v));
                    }
                }
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            } else {
                ps.setArray(1, c.createArrayOf("varchar", values.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> v = new HashMap<>();
                    for (String col : READ) {
                        v.put(col, NUMERIC.contains(col) ? (Object) rs.getLong(col) : java.util.Objects.requireNonNullElse(rs.getString(col), ""));
                    }
                    Course course = new Course(rs.getLong("id"), rs.getLong("category"), rs.getLong("sortorder"), rs.getLong("ctxid"), rs.getString("ctxpath"), v);
                    String k = column.equals("id") ? Long.toString(course.id()) : course.text(column);
                    found.computeIfAbsent(k, x -> new ArrayList<>()).add(course);
                }
            }
        }
        return found;
    }

    /**
     * Creates the courses. Returns their ids in the order given. Within a category a new course
     * goes first (category sortorder + 1) and the others move down, as create_course() followed by
     * fix_course_sortorder() does; so of several new courses the last one created comes first.
     */
    public long[] create(Connection c, MoodleCategories categories, CategoryTree tree, List<NewCourse> courses, SiteSettings site, long now) throws SQLException {
        long[] ids = Ids.next(c, db, "course", courses.size());
        Map<Long, List<Integer>> byCategory = new LinkedHashMap<>();
        for (int i = 0; i < courses.size(); i++) {
            byCategory.computeIfAbsent(courses.get(i).category(), k -> new ArrayList<>()).add(i);
        }
        long[] sortorders = new long[courses.size()];
        Map<Long, Integer> countDelta = new HashMap<>();
        try (PreparedStatement shift = c.prepareStatement("UPDATE " + db.table("course") + " SET sortorder = sortorder + ? WHERE category = ?")) {
            for (Map.Entry<Long, List<Integer>> e : byCategory.entrySet()) {
                Category cat = tree.byId(e.getKey()).orElseThrow(() -> new IllegalStateException("no category " + e.getKey()));
                List<Integer> idx = e.getValue();
                // shift whatever the counter says: a wrong coursecount must not give two courses one sortorder
                shift.setLong(1, idx.size());
                shift.setLong(2, cat.id());
                shift.addBatch();
                for (int j = 0; j < idx.size(); j++) {
                    sortorders[idx.get(j)] = cat.sortorder() + idx.size() - j;
                }
                countDelta.put(cat.id(), idx.size());
            }
            shift.executeBatch();
        }

        List<Map<String, String>> options = new ArrayList<>();
        for (NewCourse course : courses) {
            String format = (String) course.values().get("format");
            options.add(course.templateId() != 0 ? formatOptions(c, course.templateId(), format) : CourseFormats.defaultOptions(format, site));
        }
        Map<List<String>, List<Object[]>> rowsByColumns = new LinkedHashMap<>();
        for (int i = 0; i < courses.size(); i++) {
            Map<String, Object> row = new TreeMap<>(courses.get(i).values());
            if (CourseFormats.hasAutomaticEndDate((String) row.get("format"), options.get(i))) {
                row.put("enddate", CourseFormats.weeksEndDate((Long) row.get("startdate"), courses.get(i).sections().size() - 1, site.userZone()));
            }
            row.put("id", ids[i]);
            row.put("category", courses.get(i).category());
            row.put("sortorder", sortorders[i]);
            row.putIfAbsent("visible", 1L);
            row.put("visibleold", row.get("visible"));
            row.putIfAbsent("summaryformat", 0); // FORMAT_MOODLE: create_course() and the upload tool store it when no format is given
            row.put("timecreated", now);
            row.put("timemodified", now);
            row.put("cacherev", now);
            rowsByColumns.computeIfAbsent(List.copyOf(row.keySet()), k -> new ArrayList<>()).add(row.values().toArray());
        }
        for (Map.Entry<List<String>, List<Object[]>> e : rowsByColumns.entrySet()) {
            RowInserter.insert(c, db, "course", e.getKey(), e.getValue());
        }
        for (Map.Entry<Long, List<Integer>> e : byCategory.entrySet()) {
            Category cat = tree.byId(e.getKey()).orElseThrow();
            long[] courseIds = e.getValue().stream().mapToLong(i -> ids[i]).toArray();
            contexts.create(c, ContextLevel.COURSE, courseIds, cat.contextPath(), Contexts.depthOf(cat.contextPath()));
        }
        CourseForums forums = new CourseForums(db);
        CourseForums.Plan forumPlan = forums.plan(c, courses);
        long[] sectionZero = insertSections(c, ids, courses, forumPlan, now);
        forums.insert(c, forumPlan, ids, sectionZero, site, now);
        insertFormatOptions(c, ids, courses, options);
        EnrolInstances enrol = new EnrolInstances(db);
        List<NewCourse> plain = new ArrayList<>();
        List<Long> plainIds = new ArrayList<>();
        for (int i = 0; i < courses.size(); i++) {
            if (courses.get(i).templateId() != 0) {
                enrol.copy(c, courses.get(i).templateId(), ids[i], now);
            } else {
                plain.add(courses.get(i));
                plainIds.add(ids[i]);
            }
        }
        enrol.createDefaults(c, plainIds.stream().mapToLong(Long::longValue).toArray(), plain, site, now);
        categories.adjustCourseCount(c, tree, countDelta);
        if (!courses.isEmpty()) {
            // create_course(): a new course has no cached modinfo yet, its cacherev starts at now
            db.caches(c).coursesChanged();
        }
        return ids;
    }

    /** Sections 0..n of each course, section 0 listing the course forum when it gets one; returns the ids of the sections 0. */
    private long[] insertSections(Connection c, long[] ids, List<NewCourse> courses, CourseForums.Plan forums, long now) throws SQLException {
        int count = courses.stream().mapToInt(course -> course.sections().size()).sum();
        long[] sectionIds = Ids.next(c, db, "course_sections", count);
        long[] sectionZero = new long[courses.size()];
        List<Object[]> rows = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < courses.size(); i++) {
            List<String[]> sections = courses.get(i).sections();
            sectionZero[i] = sectionIds[next];
            for (int s = 0; s < sections.size(); s++) {
                String[] ns = sections.get(s);
                int visible = ns.length > 2 && "0".equals(ns[2]) ? 0 : 1;
                String sequence = s == 0 && forums.moduleOf(i) != 0 ? Long.toString(forums.moduleOf(i)) : "";
                rows.add(new Object[] {sectionIds[next++], ids[i], s, ns[0], ns[1] == null ? "" : ns[1], 1, sequence, visible, now});
            }
        }
        RowInserter.insert(c, db, "course_sections", List.of("id", "course", "section", "name", "summary", "summaryformat", "sequence", "visible",
                "timemodified"), rows);
        return sectionZero;
    }

    /** The course-level options of the format (course_format_options with sectionid 0): the template's, else the site's defaults. */
    private void insertFormatOptions(Connection c, long[] ids, List<NewCourse> courses, List<Map<String, String>> options) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < courses.size(); i++) {
            String format = (String) courses.get(i).values().get("format");
            for (Map.Entry<String, String> option : options.get(i).entrySet()) {
                rows.add(new Object[] {ids[i], format, 0, option.getKey(), option.getValue()});
            }
        }
        RowInserter.insert(c, db, "course_format_options", List.of("courseid", "format", "sectionid", "name", "value"), rows);
    }

    /**
     * Of the given courses, those whose end date Moodle computes (weeks format, automaticenddate
     * on or absent), each with the number of its last section.
     */
    public Map<Long, Long> automaticEndDateSections(Connection c, Collection<Long> courseIds) throws SQLException {
        Map<Long, Long> found = new HashMap<>();
        if (courseIds.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT co.id, MAX(s.section) FROM " + db.table("course") + " co JOIN "
                + db.table("course_sections") + " s ON s.course = co.id LEFT JOIN " + db.table("course_format_options")
                + " fo ON fo.courseid = co.id AND fo.format = co.format AND fo.sectionid = 0 AND fo.name = 'automaticenddate'"
                + " WHERE co.id = ANY(?) AND co.format = 'weeks' AND COALESCE(fo.value, '1') <> '0' GROUP BY co.id")) {
            ps.setArray(1, c.createArrayOf("bigint", courseIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return found;
    }

    /** A course's own format options (sectionid 0) for a format, as a template gives them. */
    public Map<String, String> formatOptions(Connection c, long courseId, String format) throws SQLException {
        Map<String, String> options = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, value FROM " + db.table("course_format_options")
                + " WHERE courseid = ? AND format = ? AND sectionid = 0 ORDER BY name")) {
            ps.setLong(1, courseId);
            ps.setString(2, format);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    options.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return options;
    }

    /** A course's sections in order: {name, summary, visible ("0"/"1")}, as a template gives them. */
    public List<String[]> sections(Connection c, long courseId) throws SQLException {
        List<String[]> sections = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT section, name, summary, visible FROM " + db.table("course_sections")
                + " WHERE course = ? ORDER BY section")) {
            ps.setLong(1, courseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    while (sections.size() < rs.getInt(1)) {
                        sections.add(new String[] {null, null, "1"}); // a gap in the template's numbering: Moodle would fill it
                    }
                    sections.add(new String[] {rs.getString(2), rs.getString(3), Integer.toString(rs.getInt(4))});
                }
            }
        }
        return sections;
    }

    /** update_course(): only the given columns, plus timemodified and a new cacherev so Moodle rebuilds its course cache. */
    public void update(Connection c, Map<Long, Map<String, Object>> changes, long now) throws SQLException {
        Map<List<String>, List<Map.Entry<Long, Map<String, Object>>>> byColumns = new LinkedHashMap<>();
        for (Map.Entry<Long, Map<String, Object>> e : changes.entrySet()) {
            byColumns.computeIfAbsent(List.copyOf(new TreeMap<>(e.getValue()).keySet()), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<List<String>, List<Map.Entry<Long, Map<String, Object>>>> g : byColumns.entrySet()) {
            StringBuilder sql = new StringBuilder("UPDATE ").append(db.table("course")).append(" SET ");
            for (String col : g.getKey()) {
                sql.append(col).append(" = ?, ");
            }
            sql.append("timemodified = ?, cacherev = GREATEST(cacherev + 1, ?) WHERE id = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (Map.Entry<Long, Map<String, Object>> e : g.getValue()) {
                    int i = 1;
                    for (String col : g.getKey()) {
                        ps.setObject(i++, e.getValue().get(col));
                    }
                    ps.setLong(i++, now);
                    ps.setLong(i++, now);
                    ps.setLong(i, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!changes.isEmpty()) {
            // update_course(): rebuild_course_cache() through the cacherev bumped above, and changesincourse
            db.caches(c).coursesChanged();
            db.caches(c).courseCacheRebuilt(changes.keySet());
        }
    }

    /**
     * move_courses(): the course goes first in its new category, the courses after it in the old
     * one close the gap, its context and everything below it (modules, blocks) follow the new
     * category context, and both course counts change.
     */
    public void move(Connection c, MoodleCategories categories, CategoryTree tree, Course course, long newCategory, long now) throws SQLException {
        Category from = tree.byId(course.category()).orElseThrow();
        Category to = tree.byId(newCategory).orElseThrow();
        long sortorder;
        // read it again: a category created or a course moved earlier in this chunk may have renumbered it
        try (PreparedStatement now0 = c.prepareStatement("SELECT sortorder FROM " + db.table("course") + " WHERE id = ?")) {
            now0.setLong(1, course.id());
            try (ResultSet rs = now0.executeQuery()) {
                rs.next();
                sortorder = rs.getLong(1);
            }
        }
        try (PreparedStatement close = c.prepareStatement("UPDATE " + db.table("course") + " SET sortorder = sortorder - 1 WHERE category = ? AND sortorder > ?");
             PreparedStatement open = c.prepareStatement("UPDATE " + db.table("course") + " SET sortorder = sortorder + 1 WHERE category = ?");
             PreparedStatement place = c.prepareStatement("UPDATE " + db.table("course") + " SET category = ?, sortorder = ?, timemodified = ?, cacherev = GREATEST(cacherev + 1, ?) WHERE id = ?")) {
            close.setLong(1, from.id());
            close.setLong(2, sortorder);
            close.executeUpdate();
            open.setLong(1, to.id());
            open.executeUpdate();
            place.setLong(1, to.id());
            place.setLong(2, to.sortorder() + 1);
            place.setLong(3, now);
            place.setLong(4, now);
            place.setLong(5, course.id());
            place.executeUpdate();
        }
        contexts.move(c, course.contextPath(), to.contextPath() + "/" + course.contextId());
        categories.adjustCourseCount(c, tree, Map.of(from.id(), -1, to.id(), 1));
        db.caches(c).coursesChanged();
        db.caches(c).courseCacheRebuilt(List.of(course.id()));
    }

    /**
     * fix_course_sortorder() for courses: the courses of each category numbered contiguously
     * after the category's own sortorder, in their current order; only rows that move are written.
     */
    public void renumber(Connection c, CategoryTree tree, Collection<Long> categoryIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("course") + " co SET sortorder = x.wanted FROM (SELECT id, ? + row_number() OVER"
                + " (ORDER BY sortorder, id) AS wanted FROM " + db.table("course") + " WHERE category = ?) x WHERE co.id = x.id AND co.sortorder <> x.wanted")) {
            for (long id : categoryIds) {
                Category cat = tree.byId(id).orElseThrow();
                ps.setLong(1, cat.sortorder());
                ps.setLong(2, id);
                ps.addBatch();
            }
            if (java.util.Arrays.stream(ps.executeBatch()).anyMatch(n -> n != 0)) { // SUCCESS_NO_INFO counts as a change
                db.caches(c).coursesChanged();
            }
        }
    }
}
