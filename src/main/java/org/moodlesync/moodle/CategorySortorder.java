package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The category half of fix_course_sortorder(): each category's sortorder becomes step x its
 * position in the pre-order walk, and its courses move with it by the same distance, so they
 * stay contiguous right after their category. Only rows whose value changes are written, in
 * one statement per table whatever the number of categories.
 */
final class CategorySortorder {
    private final MoodleDatabase db;

    CategorySortorder(MoodleDatabase db) {
        this.db = db;
    }

    /**
     * Renumbers the tree and the database. {@code unwritten} are categories the caller is about to
     * insert: they only take their new sortorder in the tree, the insert writes it.
     */
    void renumber(Connection c, CategoryTree tree, Set<Long> unwritten) throws SQLException {
        Map<Long, Long> changes = tree.sortorderChanges();
        List<Long> ids = new ArrayList<>();
        List<Long> sortorders = new ArrayList<>();
        List<Long> deltas = new ArrayList<>();
        for (Map.Entry<Long, Long> e : changes.entrySet()) {
            Category old = tree.byId(e.getKey()).orElseThrow();
            tree.put(old.withSortorder(e.getValue()));
            if (!unwritten.contains(old.id())) {
                ids.add(old.id());
                sortorders.add(e.getValue());
                deltas.add(e.getValue() - old.sortorder());
            }
        }
        if (!ids.isEmpty()) {
            updateCategories(c, ids, sortorders);
            shiftCourses(c, ids, deltas);
            // fix_course_sortorder(): renumbered categories and shifted courses
            db.caches(c).categoriesChanged();
            db.caches(c).coursesChanged();
        }
        fixSiteCourse(c);
    }

    private void updateCategories(Connection c, List<Long> ids, List<Long> sortorders) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("course_categories") + " cc SET sortorder = n.sortorder"
                + " FROM unnest(?::bigint[], ?::bigint[]) AS n(id, sortorder) WHERE cc.id = n.id")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", sortorders.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * A shift, not a renumbering: the courses' order inside the category (which Moodle's UI lets
     * teachers change) is kept, as fix_course_sortorder() keeps it with its modulo arithmetic.
     */
    private void shiftCourses(Connection c, List<Long> categoryIds, List<Long> deltas) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("course") + " co SET sortorder = co.sortorder + s.delta"
                + " FROM unnest(?::bigint[], ?::bigint[]) AS s(category, delta) WHERE co.category = s.category")) {
            ps.setArray(1, c.createArrayOf("bigint", categoryIds.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", deltas.toArray()));
            ps.executeUpdate();
        }
    }

    /** fix_course_sortorder() gives the front page course (category 0) sortorder 1; a fresh install leaves it 0. */
    private void fixSiteCourse(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("course") + " SET sortorder = 1"
                + " WHERE category = 0 AND sortorder <> 1")) {
            ps.executeUpdate();
        }
    }
}
