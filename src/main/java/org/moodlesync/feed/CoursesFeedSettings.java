package org.moodlesync.feed;

import java.util.Locale;
import java.util.Set;

/**
 * The courses.* configuration keys.
 *
 * @param identity           shortname, idnumber or id: which column finds an existing course
 * @param categoryIdentifier path (names separated by /, created when missing), idnumber or id
 * @param forceUpdate        whether lines of existing courses update them (otherwise unchanged)
 * @param newCategoriesVisible whether categories created from paths are visible
 * @param holdingCategory    path of the hidden category where deletecourses.csv puts courses holding activities
 */
public record CoursesFeedSettings(String identity, String categoryIdentifier, boolean forceUpdate, boolean newCategoriesVisible,
                                  String holdingCategory) {

    public CoursesFeedSettings {
        identity = identity.toLowerCase(Locale.ROOT).trim();
        categoryIdentifier = categoryIdentifier.toLowerCase(Locale.ROOT).trim();
        if (!Set.of("shortname", "idnumber", "id").contains(identity)) {
            throw new IllegalArgumentException("courses.identity must be shortname, idnumber or id (got \"" + identity + "\")");
        }
        if (holdingCategory == null || holdingCategory.isBlank()) {
            throw new IllegalArgumentException("courses.delete.holding-category must name a category (a path such as \"Courses to delete\")");
        }
        if (!Set.of("path", "idnumber", "id").contains(categoryIdentifier)) {
            throw new IllegalArgumentException("courses.category-identifier must be path, idnumber or id (got \"" + categoryIdentifier + "\")");
        }
    }
}
