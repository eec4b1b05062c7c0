package org.moodlesync.moodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Context rows exactly as Moodle's context_helper writes them: one per (level, instance), with a
 * path made of context ids from the system context down and the matching depth.
 */
public final class Contexts {
    /** The system context of every Moodle install: id 1, path /1, depth 1. */
    public static final long SYSTEM_CONTEXT_ID = 1;
    public static final String SYSTEM_PATH = "/1";

    private final MoodleDatabase db;

    public Contexts(MoodleDatabase db) {
        this.db = db;
    }

    /** Creates the contexts of instances that all hang under the same parent context. */
    public long[] create(Connection c, ContextLevel level, long[] instanceIds, String parentPath, int parentDepth) throws SQLException {
        long[] ids = Ids.next(c, db, "context", instanceIds.length);
        List<Object[]> rows = new ArrayList<>(instanceIds.length);
        for (int i = 0; i < instanceIds.length; i++) {
            rows.add(new Object[] {ids[i], level.level, instanceIds[i], parentPath + "/" + ids[i], parentDepth + 1});
        }
        RowInserter.insert(c, db, "context", List.of("id", "contextlevel", "instanceid", "path", "depth"), rows);
        return ids;
    }

    /** User contexts hang directly under the system context. */
    public long[] createUserContexts(Connection c, long[] userIds) throws SQLException {
        return create(c, ContextLevel.USER, userIds, SYSTEM_PATH, 1);
    }

    /** Returns the ids of the deleted contexts. */
    public List<Long> delete(Connection c, ContextLevel level, long[] instanceIds) throws SQLException {
        List<Long> deleted = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db.table("context")
                + " WHERE contextlevel = ? AND instanceid = ANY(?) RETURNING id")) {
            ps.setInt(1, level.level);
            ps.setArray(2, c.createArrayOf("bigint", box(instanceIds)));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getLong(1));
                }
            }
        }
        return deleted;
    }

    static Long[] box(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    /** A context's depth is the number of ids in its path (/1 is 1, /1/3 is 2). */
    public static int depthOf(String path) {
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    /**
     * context::update_moved(): a context and every context below it (module, block contexts)
     * take the new parent path, their depths following.
     */
    public void move(Connection c, String oldPath, String newPath) throws SQLException {
        int delta = depthOf(newPath) - depthOf(oldPath);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("context") + " SET path = ? || substr(path, ?), depth = depth + ?"
                + " WHERE path = ? OR path LIKE ?")) {
            ps.setString(1, newPath);
            ps.setInt(2, oldPath.length() + 1);
            ps.setInt(3, delta);
            ps.setString(4, oldPath);
            ps.setString(5, oldPath.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%");
            ps.executeUpdate();
        }
    }
}
