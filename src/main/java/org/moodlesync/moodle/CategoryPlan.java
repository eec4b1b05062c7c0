package org.moodlesync.moodle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves paths of names against the tree without writing anything, and lists the categories
 * that are missing, parents before children, in the order Moodle would create them. A name
 * missing under the same parent in several paths is planned once.
 */
final class CategoryPlan {
    /** An existing category (by id, 0 for the top) or a planned one (by its index in the plan). */
    record Ref(long id, int index) {
        static Ref existing(long id) {
            return new Ref(id, -1);
        }

        boolean isNew() {
            return index >= 0;
        }
    }

    record NewCategory(Ref parent, String name, String idnumber, boolean visible) {
    }

    private final CategoryTree tree;
    private final List<NewCategory> planned = new ArrayList<>();
    private final Map<Ref, Map<String, Integer>> plannedChildren = new HashMap<>();

    CategoryPlan(CategoryTree tree) {
        this.tree = tree;
    }

    /** The end of the path; {@code names} must already be cleaned. */
    Ref resolve(List<String> names, boolean visible) {
        Ref cur = Ref.existing(0);
        for (String name : names) {
            if (!cur.isNew()) {
                var found = tree.childNamed(cur.id(), name);
                if (found.isPresent()) {
                    cur = Ref.existing(found.get().id());
                    continue;
                }
            }
            Ref parent = cur;
            int index = plannedChildren.computeIfAbsent(parent, k -> new HashMap<>()).computeIfAbsent(name, k -> {
                planned.add(new NewCategory(parent, name, null, visible));
                return planned.size() - 1;
            });
            cur = new Ref(0, index);
        }
        return cur;
    }

    List<NewCategory> newCategories() {
        return planned;
    }
}
