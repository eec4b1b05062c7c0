package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory tree: Moodle's sibling order, lookups and the sortorder it derives. No database. */
class CategoryTreeTest {

    private static Category cat(long id, String name, long parent, long sortorder) {
        return new Category(id, name, "", parent, sortorder, parent == 0 ? 1 : 2, "/" + id, 0, true, 100 + id, "/1/" + (100 + id));
    }

    @Test
    void siblingsAreOrderedBySortorderThenId() {
        CategoryTree tree = new CategoryTree(List.of(cat(5, "B", 0, 20000), cat(3, "A", 0, 20000), cat(9, "C", 0, 10000)), 0, 10000);
        assertEquals(List.of(9L, 3L, 5L), tree.children(0).stream().map(Category::id).toList());
    }

    @Test
    void duplicateSiblingNamesResolveToTheFirstInMoodleOrder() {
        CategoryTree tree = new CategoryTree(List.of(cat(1, "Dup", 0, 30000), cat(2, "Dup", 0, 20000), cat(4, "Dup", 0, 20000)), 0, 10000);
        assertEquals(2L, tree.childNamed(0, "Dup").orElseThrow().id());
        assertTrue(tree.childNamed(0, "dup").isEmpty(), "names match exactly, as Moodle's lookup by name does");
        assertTrue(tree.childNamed(2, "Dup").isEmpty());
    }

    @Test
    void preOrderAndSortorderChanges() {
        CategoryTree tree = new CategoryTree(List.of(cat(1, "Default", 0, 10000), cat(2, "Faculty", 0, 20000),
                cat(3, "Science", 2, 30000), cat(4, "Arts", 2, 30001), cat(5, "Physics", 3, 40000)), 0, 10000);
        assertEquals(List.of(1L, 2L, 3L, 5L, 4L), tree.preOrder().stream().map(Category::id).toList());
        assertEquals(Map.of(4L, 50000L), tree.sortorderChanges());
        assertEquals(List.of(3L, 5L, 4L), tree.descendants(2).stream().map(Category::id).toList());
    }

    @Test
    void defaultCategoryIsTheConfiguredOneElseTheFirstTopLevel() {
        List<Category> cats = List.of(cat(1, "A", 0, 20000), cat(2, "B", 0, 10000), cat(3, "C", 2, 30000));
        assertEquals(3L, new CategoryTree(cats, 3, 10000).defaultCategory().id());
        assertEquals(2L, new CategoryTree(cats, 77, 10000).defaultCategory().id(), "a deleted default falls back");
        assertEquals(2L, new CategoryTree(cats, 0, 10000).defaultCategory().id());
        assertThrows(IllegalStateException.class, () -> new CategoryTree(List.of(), 0, 10000).defaultCategory());
    }

    @Test
    void idnumberLookupIgnoresEmptyIdnumbers() {
        Category withId = new Category(7, "X", "SCI", 0, 10000, 1, "/7", 0, true, 20, "/1/20");
        CategoryTree tree = new CategoryTree(List.of(cat(1, "Default", 0, 20000), withId), 0, 10000);
        assertEquals(7L, tree.byIdnumber("SCI").orElseThrow().id());
        assertTrue(tree.byIdnumber("").isEmpty());
        assertTrue(tree.byIdnumber(null).isEmpty());
    }

    @Test
    void pathsAreParsedAndCleaned() {
        assertEquals(List.of("Faculty", "Science"), CategoryPath.parse("/ Faculty /Science/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CategoryPath.parse("A//B"));
        assertEquals("category path \"A//B\" has an empty name", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CategoryPath.parse(""));
        assertThrows(IllegalArgumentException.class, () -> CategoryPath.clean(List.of("x".repeat(256))));
    }
}
