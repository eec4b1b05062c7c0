package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.moodlesync.MoodleInvariants;
import org.moodlesync.support.TestDatabases;
import org.postgresql.ds.PGSimpleDataSource;

/** Categories written into a fresh Moodle database, checked row by row and against Moodle's invariants. */
class MoodleCategoriesTest {
    private static final long NOW = 1_750_000_000L;

    private Connection c;
    private MoodleCategories categories;
    private CategoryTree tree;

    @BeforeEach
    void freshMoodle() throws Exception {
        String url = TestDatabases.freshMoodle();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(TestDatabases.user());
        ds.setPassword(TestDatabases.password());
        MoodleDatabase db = new MoodleDatabase(ds, "mdl_");
        c = TestDatabases.connect(url);
        categories = new MoodleCategories(db);
        tree = categories.load(c);
    }

    @AfterEach
    void invariantsHoldAndClose() throws SQLException {
        try {
            MoodleInvariants.assertNone(c, "mdl_");
        } finally {
            c.close();
        }
    }

    @Test
    void pathIsCreatedAsCoreCourseCategoryCreateDoes() throws SQLException {
        execute("UPDATE mdl_course SET sortorder = 0 WHERE id = 1"); // as a real fresh install leaves it
        Category physics = categories.ensurePath(c, tree, List.of("Faculty", "Science", "Physics"), true, NOW);

        assertEquals(List.of("2|Faculty|0|1|/2|20000", "3|Science|2|2|/2/3|30000", "4|Physics|3|3|/2/3/4|40000"),
                rows("SELECT id || '|' || name || '|' || parent || '|' || depth || '|' || path || '|' || sortorder"
                        + " FROM mdl_course_categories WHERE id > 1 ORDER BY id"));
        assertEquals(List.of("10000"), rows("SELECT sortorder FROM mdl_course_categories WHERE id = 1"));
        // core_course_category::create(): an empty description, no idnumber nor theme
        assertEquals(List.of("0|1|1|" + NOW + "|0|null||null", "0|1|1|" + NOW + "|0|null||null", "0|1|1|" + NOW + "|0|null||null"),
                rows("SELECT coursecount || '|' || visible || '|' || visibleold || '|' || timemodified || '|' || descriptionformat"
                        + " || '|' || coalesce(idnumber, 'null') || '|' || coalesce(description, 'null') || '|' || coalesce(theme, 'null')"
                        + " FROM mdl_course_categories WHERE id > 1 ORDER BY id"));
        List<String> contexts = rows("SELECT x.id || '|' || x.path || '|' || x.depth FROM mdl_course_categories cc"
                + " JOIN mdl_context x ON x.contextlevel = 40 AND x.instanceid = cc.id WHERE cc.id > 1 ORDER BY cc.id");
        String[] f = contexts.get(0).split("\\|");
        String[] s = contexts.get(1).split("\\|");
        String[] p = contexts.get(2).split("\\|");
        assertEquals("/1/" + f[0] + "|2", f[1] + "|" + f[2]);
        assertEquals("/1/" + f[0] + "/" + s[0] + "|3", s[1] + "|" + s[2]);
        assertEquals("/1/" + f[0] + "/" + s[0] + "/" + p[0] + "|4", p[1] + "|" + p[2]);
        assertEquals(List.of("1"), rows("SELECT sortorder FROM mdl_course WHERE id = 1"));

        assertEquals(4L, physics.id());
        assertEquals(Long.parseLong(p[0]), physics.contextId());
        assertEquals(p[1], physics.contextPath());
        assertTreeMatchesDatabase();
    }

    @Test
    void newSiblingShiftsLaterCategoriesAndTheirCourses() throws SQLException {
        Category physics = categories.ensurePath(c, tree, List.of("Faculty", "Science", "Physics"), true, NOW);
        Category archive = categories.ensurePath(c, tree, List.of("Archive"), true, NOW);
        addCourses(physics, 3);
        addCourses(archive, 2);
        addCourses(tree.byId(1).orElseThrow(), 1);
        MoodleInvariants.assertNone(c, "mdl_");
        assertEquals(50000L, tree.byId(archive.id()).orElseThrow().sortorder());

        Category arts = categories.ensurePath(c, tree, List.of("Faculty", "Arts"), true, NOW);
        Category biology = categories.ensurePath(c, tree, List.of("Faculty", "Science", "Biology"), true, NOW);

        // Pre-order: Category 1, Faculty, Science, Physics, Biology, Arts, Archive.
        assertEquals(List.of("Category 1|10000", "Faculty|20000", "Science|30000", "Physics|40000", "Biology|50000",
                "Arts|60000", "Archive|70000"), rows("SELECT name || '|' || sortorder FROM mdl_course_categories ORDER BY sortorder"));
        assertEquals(List.of("70001", "70002"), rows("SELECT sortorder FROM mdl_course WHERE category = " + archive.id() + " ORDER BY sortorder"));
        assertEquals(List.of("40001", "40002", "40003"), rows("SELECT sortorder FROM mdl_course WHERE category = " + physics.id() + " ORDER BY sortorder"));
        assertEquals(List.of("10001"), rows("SELECT sortorder FROM mdl_course WHERE category = 1"));
        assertEquals(List.of(physics.id() + 1, physics.id() + 2, physics.id() + 3), List.of(archive.id(), arts.id(), biology.id()),
                "ids follow the order of creation");
        assertTreeMatchesDatabase();
    }

    @Test
    void ensurePathIsIdempotent() throws SQLException {
        Category first = categories.ensurePath(c, tree, List.of("Faculty", "Science"), true, NOW);
        List<String> before = rows("SELECT id || '|' || sortorder || '|' || timemodified FROM mdl_course_categories ORDER BY id");
        String contextsBefore = rows("SELECT count(*) FROM mdl_context").get(0);

        Category again = categories.ensurePath(c, tree, List.of(" Faculty ", "Science "), true, NOW + 60);
        Category reloaded = categories.ensurePath(c, categories.load(c), List.of("Faculty", "Science"), false, NOW + 60);

        assertEquals(first, again);
        assertEquals(first, reloaded);
        assertEquals(before, rows("SELECT id || '|' || sortorder || '|' || timemodified FROM mdl_course_categories ORDER BY id"));
        assertEquals(contextsBefore, rows("SELECT count(*) FROM mdl_context").get(0));
    }

    @Test
    void duplicateSiblingNamesResolveDeterministically() throws SQLException {
        Category dup1 = categories.create(c, tree, 0, "Dup", null, true, NOW);
        Category dup2 = categories.create(c, tree, 0, "Dup", null, true, NOW);
        assertTrue(dup1.sortorder() < dup2.sortorder(), "each new category is the last child");
        assertEquals(dup1.id(), tree.childNamed(0, "Dup").orElseThrow().id());

        // Moodle's UI can reorder them: the first in Moodle's order answers, whatever the ids.
        execute("UPDATE mdl_course_categories SET sortorder = CASE id WHEN " + dup1.id() + " THEN " + dup2.sortorder()
                + " ELSE " + dup1.sortorder() + " END WHERE id IN (" + dup1.id() + ", " + dup2.id() + ")");
        tree = categories.load(c);
        Category x = categories.ensurePath(c, tree, List.of("Dup", "X"), true, NOW);
        assertEquals(dup2.id(), x.parent());
        assertEquals("/" + dup2.id() + "/" + x.id(), x.path());
        assertTreeMatchesDatabase();
    }

    @Test
    void createChecksItsInput() throws SQLException {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> categories.ensurePath(c, tree, List.of("A", " ", "B"), true, NOW));
        assertEquals("category path \"A/ /B\" has an empty name", empty.getMessage());
        assertEquals("category path \"A//B\" has an empty name", assertThrows(IllegalArgumentException.class,
                () -> categories.ensurePath(c, tree, List.of("A", "", "B"), true, NOW)).getMessage());
        assertEquals(List.of("1"), rows("SELECT count(*) FROM mdl_course_categories"), "nothing written for a bad path");

        Category sci = categories.create(c, tree, 0, "Science", "SCI", true, NOW);
        assertEquals(List.of("SCI"), rows("SELECT idnumber FROM mdl_course_categories WHERE id = " + sci.id()));
        assertEquals(sci, tree.byIdnumber("SCI").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> categories.create(c, tree, 0, "Other", "SCI", true, NOW));
        assertThrows(IllegalArgumentException.class, () -> categories.create(c, tree, 999, "Orphan", null, true, NOW));
    }

    @Test
    void hiddenParentHidesNewChildrenButRemembersTheyWereMeantVisible() throws SQLException {
        Category hidden = categories.create(c, tree, 0, "Hidden", null, false, NOW);
        Category child = categories.ensurePath(c, tree, List.of("Hidden", "Child"), true, NOW);
        assertFalse(hidden.visible());
        assertFalse(child.visible());
        assertEquals(List.of("0|0", "0|1"), rows("SELECT visible || '|' || visibleold FROM mdl_course_categories"
                + " WHERE id IN (" + hidden.id() + ", " + child.id() + ") ORDER BY id"));
    }

    @Test
    void deleteEmptyRemovesOnlyEmptyBranchesBottomUp() throws SQLException {
        Category physics = categories.ensurePath(c, tree, List.of("Faculty", "Science", "Physics"), true, NOW);
        categories.ensurePaths(c, tree, List.of(List.of("Faculty", "Arts", "History"), List.of("Faculty", "Arts", "Music"),
                List.of("Empty", "Deeper"), List.of("Kept", "Leaf")), true, NOW);
        Category kept = tree.childNamed(0, "Kept").orElseThrow();
        addCourses(kept, 1);
        addCourses(physics, 2);
        Category history = categories.ensurePath(c, tree, List.of("Faculty", "Arts", "History"), true, NOW);
        Category faculty = tree.childNamed(0, "Faculty").orElseThrow();
        execute("INSERT INTO mdl_cohort (contextid, name, descriptionformat, timecreated, timemodified) VALUES ("
                + history.contextId() + ", 'History students', 1, 0, 0)");
        List<String> before = rows("SELECT id || '|' || sortorder FROM mdl_course_categories ORDER BY id");

        List<Category> wouldGo = categories.deleteEmpty(c, tree, null, true);
        assertEquals(List.of("Leaf", "Deeper", "Empty", "Music", "History", "Arts"), wouldGo.stream().map(Category::name).toList());
        assertEquals(before, rows("SELECT id || '|' || sortorder FROM mdl_course_categories ORDER BY id"), "a dry run writes nothing");

        Category empty = tree.childNamed(0, "Empty").orElseThrow();
        List<Category> underEmpty = categories.deleteEmpty(c, tree, empty.id(), false);
        assertEquals(List.of("Deeper"), underEmpty.stream().map(Category::name).toList(), "only strict descendants of the root given");
        MoodleInvariants.assertNone(c, "mdl_");

        List<Category> gone = categories.deleteEmpty(c, tree, null, false);
        assertEquals(List.of("Leaf", "Empty", "Music", "History", "Arts"), gone.stream().map(Category::name).toList());
        assertEquals(List.of("Category 1|10000", "Faculty|20000", "Science|30000", "Physics|40000", "Kept|50000"),
                rows("SELECT name || '|' || sortorder FROM mdl_course_categories ORDER BY sortorder"));
        assertEquals(List.of("0"), rows("SELECT count(*) FROM mdl_context WHERE contextlevel = 40 AND instanceid NOT IN"
                + " (SELECT id FROM mdl_course_categories)"));
        assertEquals(List.of(Long.toString(faculty.contextId())), rows("SELECT contextid FROM mdl_cohort"),
                "cohort_delete_category() moves cohorts to the nearest kept category");
        assertEquals(List.of("40001", "40002"), rows("SELECT sortorder FROM mdl_course WHERE category = " + physics.id() + " ORDER BY 1"));
        assertEquals(List.of("50001"), rows("SELECT sortorder FROM mdl_course WHERE category = " + kept.id()));
        assertTrue(categories.deleteEmpty(c, tree, null, false).isEmpty(), "the default category always stays");
        assertTreeMatchesDatabase();
    }

    @Test
    void threeHundredCategoriesAreBuiltQuickly() throws SQLException {
        Category last = categories.ensurePath(c, tree, List.of("Archive"), true, NOW);
        addCourses(last, 5);
        List<List<String>> paths = new ArrayList<>();
        for (int sub = 0; sub < 9; sub++) {
            for (int dept = 0; dept < 30; dept++) {
                paths.add(List.of("Dept " + dept, "Sub " + sub));
            }
        }
        long t0 = System.nanoTime();
        categories.ensurePaths(c, tree, paths, true, NOW);
        long batchMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(302, tree.size());
        MoodleInvariants.assertNone(c, "mdl_");
        Category lastInWalk = tree.preOrder().get(301);
        assertEquals("Dept 29/Sub 8", tree.byId(lastInWalk.parent()).orElseThrow().name() + "/" + lastInWalk.name());
        addCourses(lastInWalk, 4);

        // The same shape one path at a time, each new sub-category landing mid-tree: the worst case for renumbering.
        List<List<String>> more = new ArrayList<>();
        for (List<String> p : paths) {
            more.add(List.of(p.get(0), p.get(1), "Leaf"));
        }
        long t1 = System.nanoTime();
        for (List<String> p : more) {
            categories.ensurePath(c, tree, p, true, NOW);
        }
        long oneByOneMs = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("categories: 300 new (30 x 10) in one ensurePaths: %d ms; 270 more one ensurePath at a time: %d ms%n",
                batchMs, oneByOneMs);
        assertEquals(572, tree.size());
        assertEquals(List.of("20001"), rows("SELECT min(sortorder) FROM mdl_course WHERE category = " + last.id()),
                "Archive, before every new category in the walk, stays");
        assertEquals(List.of("5710001|5710004"), rows("SELECT min(sortorder) || '|' || max(sortorder) FROM mdl_course WHERE category = "
                + lastInWalk.id()), "Dept 29/Sub 8, last but its own leaf, moved to the end with its courses");
        assertTrue(batchMs < 10_000 && oneByOneMs < 30_000, "category writes are set-wise");
        assertTreeMatchesDatabase();
    }

    // ---------------------------------------------------------------- helpers

    /** Courses as the course writer will add them: row, context, section 0, and the category's coursecount. */
    private void addCourses(Category category, int count) throws SQLException {
        Category cat = tree.byId(category.id()).orElseThrow();
        for (int i = 0; i < count; i++) {
            long id = Long.parseLong(rows("SELECT nextval('mdl_course_id_seq')").get(0));
            long sortorder = cat.sortorder() + cat.coursecount() + i + 1;
            execute("INSERT INTO mdl_course (id, category, sortorder, fullname, shortname) VALUES (" + id + ", " + cat.id() + ", "
                    + sortorder + ", 'Course " + id + "', 'C" + id + "')");
            long ctx = Long.parseLong(rows("INSERT INTO mdl_context (contextlevel, instanceid, path, depth) VALUES (50, " + id
                    + ", '', " + (cat.contextDepth() + 1) + ") RETURNING id").get(0));
            execute("UPDATE mdl_context SET path = '" + cat.contextPath() + "/" + ctx + "' WHERE id = " + ctx);
            execute("INSERT INTO mdl_course_sections (course, section) VALUES (" + id + ", 0)");
        }
        categories.adjustCourseCount(c, tree, Map.of(cat.id(), count));
    }

    /** The tree the writer kept up to date equals a fresh read of the database. */
    private void assertTreeMatchesDatabase() throws SQLException {
        CategoryTree fresh = categories.load(c);
        assertEquals(fresh.preOrder(), tree.preOrder());
        assertNull(fresh.byId(0).orElse(null));
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
