package org.moodlesync.moodle;

/**
 * One row of {@code course_categories} with its level-40 context, as moodle-sync keeps it in memory.
 *
 * @param idnumber    null or empty when the category has none (Moodle writes both)
 * @param parent      0 for a top-level category
 * @param path        made of category ids: {@code /2/7}
 * @param contextPath made of context ids: {@code /1/12/15}
 */
public record Category(long id, String name, String idnumber, long parent, long sortorder, int depth, String path,
        long coursecount, boolean visible, long contextId, String contextPath) {

    public boolean isTopLevel() {
        return parent == 0;
    }

    /** The depth of the category's context (2 for a top-level category); 0 without a context. */
    public int contextDepth() {
        return contextPath == null ? 0 : Contexts.depthOf(contextPath);
    }

    public boolean hasIdnumber() {
        return idnumber != null && !idnumber.isEmpty();
    }

    Category withSortorder(long newSortorder) {
        return new Category(id, name, idnumber, parent, newSortorder, depth, path, coursecount, visible, contextId, contextPath);
    }

    Category withCoursecount(long newCoursecount) {
        return new Category(id, name, idnumber, parent, sortorder, depth, path, newCoursecount, visible, contextId, contextPath);
    }

    Category withContext(long newContextId, String newContextPath) {
        return new Category(id, name, idnumber, parent, sortorder, depth, path, coursecount, visible, newContextId, newContextPath);
    }
}
