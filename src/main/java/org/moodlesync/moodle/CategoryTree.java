package org.moodlesync.moodle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The site's course categories in memory. A site has few of them (hundreds, rarely thousands),
 * so they are read once per file and every lookup is answered here instead of by a query per
 * line; {@link MoodleCategories} keeps the tree in step with what it writes. Not thread-safe: one
 * tree belongs to one file's processing.
 */
public final class CategoryTree {
    /** Moodle's order of siblings everywhere: sortorder, then id (fix_course_sortorder, get_children). */
    static final Comparator<Category> SIBLING_ORDER = Comparator.comparingLong(Category::sortorder).thenComparingLong(Category::id);

    private final Map<Long, Category> byId = new LinkedHashMap<>();
    private final Map<Long, Set<Long>> childIds = new HashMap<>();
    private final long defaultRequestCategory;
    private final long sortorderStep;

    /**
     * @param defaultRequestCategory config {@code defaultrequestcategory} (0 when unset)
     * @param sortorderStep          Moodle's get_max_courses_in_category(): the sortorder distance of two categories
     */
    public CategoryTree(Collection<Category> categories, long defaultRequestCategory, long sortorderStep) {
        if (sortorderStep < 1) {
            throw new IllegalArgumentException("sortorder step must be positive");
        }
        this.defaultRequestCategory = defaultRequestCategory;
        this.sortorderStep = sortorderStep;
        categories.forEach(this::put);
    }

    public Optional<Category> byId(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Moodle keeps idnumbers unique through its API (not the database); should two rows share one
     * anyway, the first by sortorder wins, so the answer does not depend on row order.
     */
    public Optional<Category> byIdnumber(String idnumber) {
        if (idnumber == null || idnumber.isEmpty()) {
            return Optional.empty();
        }
        return byId.values().stream().filter(c -> idnumber.equals(c.idnumber())).min(SIBLING_ORDER);
    }

    /** Moodle allows siblings of the same name: the first in Moodle's own order answers, always the same one. */
    public Optional<Category> childNamed(long parentId, String name) {
        Category found = null;
        for (long id : childIds.getOrDefault(parentId, Set.of())) {
            Category c = byId.get(id);
            if (c.name().equals(name) && (found == null || SIBLING_ORDER.compare(c, found) < 0)) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The children of a category (0: the top-level categories) in Moodle's order. */
    public List<Category> children(long parentId) {
        List<Category> kids = new ArrayList<>();
        for (long id : childIds.getOrDefault(parentId, Set.of())) {
            kids.add(byId.get(id));
        }
        kids.sort(SIBLING_ORDER);
        return kids;
    }

    /**
     * Where courses go when no category is named: the site's {@code defaultrequestcategory} when it
     * still exists, else the first top-level category.
     */
    public Category defaultCategory() {
        Category configured = byId.get(defaultRequestCategory);
        if (configured != null) {
            return configured;
        }
        List<Category> top = children(0);
        if (top.isEmpty()) {
            throw new IllegalStateException("the Moodle site has no course category");
        }
        return top.get(0);
    }

    /** All categories, depth first, parents before children, siblings in Moodle's order: the order sortorder follows. */
    public List<Category> preOrder() {
        List<Category> out = new ArrayList<>(byId.size());
        Deque<Category> stack = new ArrayDeque<>();
        pushReversed(stack, children(0));
        while (!stack.isEmpty()) {
            Category c = stack.pop();
            out.add(c);
            pushReversed(stack, children(c.id()));
        }
        return out;
    }

    /** The categories below {@code id} (not itself), parents before children. */
    public List<Category> descendants(long id) {
        List<Category> out = new ArrayList<>();
        Deque<Category> stack = new ArrayDeque<>();
        pushReversed(stack, children(id));
        while (!stack.isEmpty()) {
            Category c = stack.pop();
            out.add(c);
            pushReversed(stack, children(c.id()));
        }
        return out;
    }

    /**
     * The sortorder fix_course_sortorder() gives each category whose sortorder is not already
     * right: step x its 1-based position in {@link #preOrder()}. Categories cut off from the top
     * (a missing parent) are not walked, so they are left alone.
     */
    public Map<Long, Long> sortorderChanges() {
        Map<Long, Long> changes = new LinkedHashMap<>();
        long position = 0;
        for (Category c : preOrder()) {
            long want = sortorderStep * ++position;
            if (c.sortorder() != want) {
                changes.put(c.id(), want);
            }
        }
        return changes;
    }

    public long sortorderStep() {
        return sortorderStep;
    }

    public int size() {
        return byId.size();
    }

    /** Adds a category or replaces the one with the same id. */
    void put(Category c) {
        Category old = byId.put(c.id(), c);
        if (old != null && old.parent() != c.parent()) {
            childIds.get(old.parent()).remove(c.id());
        }
        childIds.computeIfAbsent(c.parent(), k -> new LinkedHashSet<>()).add(c.id());
    }

    void remove(long id) {
        Category old = byId.remove(id);
        if (old != null) {
            childIds.get(old.parent()).remove(id);
        }
    }

    private static void pushReversed(Deque<Category> stack, List<Category> kids) {
        for (int i = kids.size() - 1; i >= 0; i--) {
            stack.push(kids.get(i));
        }
    }
}
