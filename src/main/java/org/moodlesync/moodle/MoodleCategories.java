package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moodle's course categories, written as core_course_category::create() and delete_full() write
 * them: the row, its level-40 context, and the sortorder renumbering of fix_course_sortorder().
 * Every method keeps the given {@link CategoryTree} equal to the database, so a file reads the
 * categories once and resolves all its lines in memory.
 */
public final class MoodleCategories {
    /** MAX_COURSES_IN_CATEGORY when {@code $CFG->maxcoursesincategory} is unset. */
    static final long DEFAULT_SORTORDER_STEP = 10000;
    /** course_categories.idnumber is varchar(100); Moodle refuses longer ones ("idnumbertoolong"). */
    static final int MAX_IDNUMBER_LENGTH = 100;

    private final MoodleDatabase db;
    private final Contexts contexts;
    private final CategorySortorder sortorder;
    /** Only deleting needs to know which optional tables the site has: read on first use. */
    private SchemaInfo schema;
    private CategoryContextCleanup cleanup;

    public MoodleCategories(MoodleDatabase db) {
        this(db, null);
    }

    /** @param schema the site's tables when already read, else null */
    public MoodleCategories(MoodleDatabase db, SchemaInfo schema) {
        this.db = db;
        this.contexts = new Contexts(db);
        this.sortorder = new CategorySortorder(db);
        this.schema = schema;
    }

    // ---------------------------------------------------------------- reading

    /** All categories with their contexts (a category without one gets context id 0 and a null context path). */
    public CategoryTree load(Connection c) throws SQLException {
        List<Category> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cc.id, cc.name, cc.idnumber, cc.parent, cc.sortorder, cc.depth,"
                + " cc.path, cc.coursecount, cc.visible, x.id, x.path FROM " + db.table("course_categories") + " cc"
                + " LEFT JOIN " + db.table("context") + " x ON x.contextlevel = ? AND x.instanceid = cc.id")) {
            ps.setInt(1, ContextLevel.COURSECAT.level);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(new Category(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getInt(6), rs.getString(7), rs.getLong(8), rs.getInt(9) != 0, rs.getLong(10), rs.getString(11)));
                }
            }
        }
        Map<String, String> config = config(c, "defaultrequestcategory", "maxcoursesincategory");
        return new CategoryTree(all, parseLong(config.get("defaultrequestcategory"), 0),
                Math.max(1, parseLong(config.get("maxcoursesincategory"), DEFAULT_SORTORDER_STEP)));
    }

    // ---------------------------------------------------------------- creating

    /**
     * The category at the end of a path of names from the top level ({@code ["Faculty", "Science"]}),
     * creating the missing ones as Moodle would, one after the other: each as the last child of its parent.
     */
    public Category ensurePath(Connection c, CategoryTree tree, List<String> names, boolean visible, long now) throws SQLException {
        return ensurePaths(c, tree, List.of(names), visible, now).get(0);
    }

    /**
     * {@link #ensurePath} for many paths at once (a chunk of a file): the same result as resolving
     * them one by one in order, but the new categories take their ids, rows, contexts and the
     * sortorder renumbering in a few statements instead of a round of each per category.
     * Returns the category at the end of each path, in the order of {@code paths}.
     */
    public List<Category> ensurePaths(Connection c, CategoryTree tree, List<List<String>> paths, boolean visible, long now)
            throws SQLException {
        CategoryPlan plan = new CategoryPlan(tree);
        List<CategoryPlan.Ref> ends = new ArrayList<>(paths.size());
        for (List<String> path : paths) {
            ends.add(plan.resolve(CategoryPath.clean(path), visible));
        }
        List<Category> created = write(c, tree, plan.newCategories(), now);
        List<Category> out = new ArrayList<>(ends.size());
        for (CategoryPlan.Ref end : ends) {
            out.add(end.isNew() ? tree.byId(created.get(end.index()).id()).orElseThrow() : tree.byId(end.id()).orElseThrow());
        }
        return out;
    }

    /**
     * core_course_category::create(): a new last child of {@code parentId} (0: top level).
     * Duplicate names among siblings are allowed, as in Moodle; a taken idnumber is not.
     *
     * @param idnumber null or empty for none
     */
    public Category create(Connection c, CategoryTree tree, long parentId, String name, String idnumber, boolean visible, long now)
            throws SQLException {
        String n = name == null ? "" : name.strip();
        CategoryPath.checkName(n);
        String id = idnumber == null || idnumber.isEmpty() ? null : idnumber;
        if (id != null) {
            if (id.length() > MAX_IDNUMBER_LENGTH) {
                throw new IllegalArgumentException("category idnumber \"" + id + "\" is longer than " + MAX_IDNUMBER_LENGTH + " characters");
            }
            tree.byIdnumber(id).ifPresent(taken -> {
                throw new IllegalArgumentException("category idnumber \"" + id + "\" is already used by category " + taken.id());
            });
        }
        if (parentId != 0 && tree.byId(parentId).isEmpty()) {
            throw new IllegalArgumentException("parent category " + parentId + " does not exist");
        }
        CategoryPlan.NewCategory planned = new CategoryPlan.NewCategory(CategoryPlan.Ref.existing(parentId), n, id, visible);
        Category created = write(c, tree, List.of(planned), now).get(0);
        return tree.byId(created.id()).orElseThrow();
    }

    /** fix_course_sortorder() for categories (and the site course); see {@link CategorySortorder}. */
    public void fixSortorder(Connection c, CategoryTree tree) throws SQLException {
        sortorder.renumber(c, tree, Set.of());
    }

    /** Adds to the categories' coursecount: what create_course() and delete_course() do to their category. */
    public void adjustCourseCount(Connection c, CategoryTree tree, Map<Long, Integer> deltaByCategory) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Long> deltas = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : deltaByCategory.entrySet()) {
            if (tree.byId(e.getKey()).isEmpty()) {
                throw new IllegalArgumentException("category " + e.getKey() + " does not exist");
            }
            if (e.getValue() != 0) {
                ids.add(e.getKey());
                deltas.add((long) e.getValue());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("course_categories") + " cc SET coursecount = cc.coursecount + d.delta"
                + " FROM unnest(?::bigint[], ?::bigint[]) AS d(id, delta) WHERE cc.id = d.id")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", deltas.toArray()));
            ps.executeUpdate();
        }
        // fix_course_sortorder() purges changesincoursecat when it corrects a course count
        db.caches(c).categoriesChanged();
        for (int i = 0; i < ids.size(); i++) {
            Category cat = tree.byId(ids.get(i)).orElseThrow();
            tree.put(cat.withCoursecount(cat.coursecount() + deltas.get(i)));
        }
    }

    // ---------------------------------------------------------------- deleting

    /**
     * tool_sync's "clean empty categories" with "ignore empty subcategories" on: removes, bottom up,
     * every category that holds no course and only sub-categories removed too, as
     * core_course_category::delete_full() would. Considered are all categories ({@code underId}
     * null) or only the strict descendants of {@code underId}. Never removed: the default category
     * (and so its ancestors), and categories whose context holds question bank categories.
     * Returns the removed categories, children before parents; with {@code dryRun} nothing is written.
     */
    public List<Category> deleteEmpty(Connection c, CategoryTree tree, Long underId, boolean dryRun) throws SQLException {
        List<Category> scope;
        if (underId == null) {
            scope = tree.preOrder();
        } else if (tree.byId(underId).isPresent()) {
            scope = tree.descendants(underId);
        } else {
            throw new IllegalArgumentException("category " + underId + " does not exist");
        }
        CategoryContextCleanup cleaner = cleanup(c);
        List<Category> removed = emptyBottomUp(c, tree, scope, cleaner);
        if (dryRun || removed.isEmpty()) {
            return removed;
        }
        Set<Long> removedIds = new HashSet<>();
        removed.forEach(r -> removedIds.add(r.id()));
        Map<Long, Long> cohortTargets = new LinkedHashMap<>();
        for (Category r : removed) {
            if (r.contextId() != 0) {
                cohortTargets.put(r.contextId(), survivingAncestorContext(tree, r, removedIds));
            }
        }
        Long[] categoryIds = removedIds.toArray(new Long[0]);
        Long[] contextIds = removed.stream().map(Category::contextId).filter(id -> id != 0).toArray(Long[]::new);
        cleaner.moveCohorts(c, cohortTargets);
        cleaner.deleteEvents(c, categoryIds);
        cleaner.deleteContent(c, contextIds);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("course_categories") + " WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", categoryIds));
            ps.executeUpdate();
        }
        contexts.delete(c, ContextLevel.COURSECAT, removedIds.stream().mapToLong(Long::longValue).toArray());
        db.caches(c).categoriesChanged();
        // the categories' role assignments went with their contexts
        db.caches(c).categoryRolesChanged();
        removed.forEach(r -> tree.remove(r.id()));
        fixSortorder(c, tree);
        return removed;
    }

    /**
     * Walks the scope children first. The course count is taken from the course table, not from
     * coursecount: a wrong counter must never make a category holding courses look empty.
     */
    private List<Category> emptyBottomUp(Connection c, CategoryTree tree, List<Category> scope, CategoryContextCleanup cleanup)
            throws SQLException {
        Long[] ids = scope.stream().map(Category::id).toArray(Long[]::new);
        Set<Long> withCourses = categoriesWithCourses(c, ids);
        Set<Long> withQuestions = cleanup.holdingQuestions(c, scope.stream().map(Category::contextId).toArray(Long[]::new));
        long defaultId = tree.size() == 0 ? 0 : tree.defaultCategory().id();
        Set<Long> removable = new HashSet<>();
        List<Category> out = new ArrayList<>();
        for (int i = scope.size() - 1; i >= 0; i--) {
            Category cat = scope.get(i);
            boolean empty = cat.id() != defaultId && !withCourses.contains(cat.id()) && !withQuestions.contains(cat.contextId())
                    && tree.children(cat.id()).stream().allMatch(k -> removable.contains(k.id()));
            if (empty) {
                removable.add(cat.id());
                out.add(cat);
            }
        }
        return out;
    }

    private CategoryContextCleanup cleanup(Connection c) throws SQLException {
        if (cleanup == null) {
            if (schema == null) {
                schema = SchemaInfo.load(c, db);
            }
            cleanup = new CategoryContextCleanup(db, schema);
        }
        return cleanup;
    }

    private Set<Long> categoriesWithCourses(Connection c, Long[] ids) throws SQLException {
        Set<Long> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT category FROM " + db.table("course") + " WHERE category = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        }
        return found;
    }

    /** Where cohort_delete_category() leaves a cohort once the whole branch is gone: the nearest kept ancestor, else the system. */
    private static long survivingAncestorContext(CategoryTree tree, Category cat, Set<Long> removedIds) {
        Category cur = cat;
        while (cur.parent() != 0) {
            cur = tree.byId(cur.parent()).orElseThrow();
            if (!removedIds.contains(cur.id()) && cur.contextId() != 0) {
                return cur.contextId();
            }
        }
        return Contexts.SYSTEM_CONTEXT_ID;
    }

    // ---------------------------------------------------------------- writing new categories

    /**
     * Writes planned categories (parents planned before children): ids from Moodle's sequence,
     * contexts, the final sortorders, then the rows. Returns them in plan order.
     */
    private List<Category> write(Connection c, CategoryTree tree, List<CategoryPlan.NewCategory> planned, long now) throws SQLException {
        if (planned.isEmpty()) {
            return List.of();
        }
        // Ascending ids in plan order: the ids Moodle would give creating them one by one.
        long[] ids = Ids.next(c, db, "course_categories", planned.size());
        List<Category> created = new ArrayList<>(planned.size());
        Map<Long, Boolean> visibleOld = new HashMap<>();
        for (int i = 0; i < planned.size(); i++) {
            CategoryPlan.NewCategory p = planned.get(i);
            Category parent = p.parent().isNew() ? created.get(p.parent().index()) : tree.byId(p.parent().id()).orElse(null);
            Category cat = newCategory(tree, parent, ids[i], p);
            tree.put(cat);
            created.add(cat);
            visibleOld.put(cat.id(), p.visible());
        }
        createContexts(c, tree, created);
        Set<Long> newIds = new HashSet<>();
        created.forEach(cat -> newIds.add(cat.id()));
        sortorder.renumber(c, tree, newIds);
        insertRows(c, tree, created, visibleOld, now);
        db.caches(c).categoriesChanged();
        return created;
    }

    /**
     * The row core_course_category::create() builds. A category asked to be visible takes its
     * parent's visibility and visibleold 1 (it shows again when the parent does); a hidden one
     * gets 0 for both. Its provisional sortorder puts it after every sibling, as Moodle's
     * sortorder 0 → MAX does before fix_course_sortorder() renumbers.
     */
    private static Category newCategory(CategoryTree tree, Category parent, long id, CategoryPlan.NewCategory p) {
        long parentId = parent == null ? 0 : parent.id();
        long last = tree.children(parentId).stream().mapToLong(Category::sortorder).max().orElse(0);
        boolean visible = p.visible() && (parent == null || parent.visible());
        String path = (parent == null ? "" : parent.path()) + "/" + id;
        int depth = parent == null ? 1 : parent.depth() + 1;
        return new Category(id, p.name(), p.idnumber(), parentId, last + 1, depth, path, 0, visible, 0, null);
    }

    /**
     * Level-40 contexts under the parent's context (the system context for top-level categories),
     * created a depth at a time so each parent's context exists before its children's.
     */
    private void createContexts(Connection c, CategoryTree tree, List<Category> created) throws SQLException {
        Map<Integer, Map<Long, List<Long>>> byDepthThenParent = new java.util.TreeMap<>();
        for (Category cat : created) {
            byDepthThenParent.computeIfAbsent(cat.depth(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(cat.parent(), k -> new ArrayList<>()).add(cat.id());
        }
        for (Map<Long, List<Long>> level : byDepthThenParent.values()) {
            for (Map.Entry<Long, List<Long>> group : level.entrySet()) {
                String parentPath = Contexts.SYSTEM_PATH;
                int parentDepth = 1;
                if (group.getKey() != 0) {
                    Category parent = tree.byId(group.getKey()).orElseThrow();
                    if (parent.contextPath() == null) {
                        throw new IllegalStateException("category " + parent.id() + " \"" + parent.name()
                                + "\" has no context: repair the site (admin/cli/fix_course_sortorder.php) first");
                    }
                    parentPath = parent.contextPath();
                    parentDepth = parent.contextDepth();
                }
                long[] instanceIds = group.getValue().stream().mapToLong(Long::longValue).toArray();
                long[] contextIds = contexts.create(c, ContextLevel.COURSECAT, instanceIds, parentPath, parentDepth);
                for (int i = 0; i < instanceIds.length; i++) {
                    Category cat = tree.byId(instanceIds[i]).orElseThrow();
                    tree.put(cat.withContext(contextIds[i], parentPath + "/" + contextIds[i]));
                }
            }
        }
    }

    /**
     * The columns core_course_category::create() sets: an empty description (FORMAT_MOODLE, the
     * column's default format); theme and idnumber (when not given) stay NULL.
     */
    private void insertRows(Connection c, CategoryTree tree, List<Category> created, Map<Long, Boolean> visibleOld, long now)
            throws SQLException {
        List<String> columns = List.of("id", "name", "parent", "sortorder", "coursecount", "visible", "visibleold",
                "timemodified", "depth", "path", "description");
        List<String> withIdnumber = new ArrayList<>(columns);
        withIdnumber.add("idnumber");
        List<Object[]> plain = new ArrayList<>();
        List<Object[]> numbered = new ArrayList<>();
        for (Category fresh : created) {
            Category cat = tree.byId(fresh.id()).orElseThrow();
            Object[] row = {cat.id(), cat.name(), cat.parent(), cat.sortorder(), 0, cat.visible() ? 1 : 0,
                visibleOld.get(cat.id()) ? 1 : 0, now, cat.depth(), cat.path(), "", cat.idnumber()};
            if (cat.hasIdnumber()) {
                numbered.add(row);
            } else {
                plain.add(java.util.Arrays.copyOf(row, columns.size()));
            }
        }
        RowInserter.insert(c, db, "course_categories", columns, plain);
        RowInserter.insert(c, db, "course_categories", withIdnumber, numbered);
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, String> config(Connection c, String... names) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, value FROM " + db.table("config") + " WHERE name = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return values;
    }

    private static long parseLong(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
