package org.moodlesync.moodle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

import java.util.Collection;
import java.util.Map;

/**
 * User pictures as core_user::update_picture() stores them: the three PNG icons f1 (100×100),
 * f2 (35×35) and f3 (512×512) as file records in the user's context (component user, file area
 * icon, item 0, path /) with their directory record, the content in Moodle's file pool
 * ({@code <dataroot>/filedir/<h0h1>/<h2h3>/<sha1>}), and user.picture = the id of f1.
 */
public final class UserPictures {
    /** sha1 of the empty string: the content hash Moodle gives directory records. */
    private static final String EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

    private final MoodleDatabase db;
    private final Path dataroot;

    public UserPictures(MoodleDatabase db, Path dataroot) {
        this.db = db;
        this.dataroot = dataroot;
    }

    /** The current f1 content hash of the user's picture, or null. */
    public String currentHash(Connection c, long userContextId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT contenthash FROM " + db.table("files")
                + " WHERE contextid = ? AND component = 'user' AND filearea = 'icon' AND itemid = 0 AND filepath = '/' AND filename = 'f1.png'")) {
            ps.setLong(1, userContextId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Stores the icons (name → PNG bytes) as the user's picture, replacing any earlier one.
     *
     * @param replaced receives the content hashes of the replaced icons: once the transaction is
     *                 committed, {@link #releaseUnreferenced} takes those no file row uses any more
     *                 out of the pool
     */
    public void store(Connection c, long userId, long userContextId, Map<String, byte[]> icons, long now, Collection<String> replaced)
            throws SQLException, IOException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + db.table("files")
                + " WHERE contextid = ? AND component = 'user' AND filearea = 'icon' RETURNING contenthash")) {
            del.setLong(1, userContextId);
            try (ResultSet rs = del.executeQuery()) {
                while (rs.next()) {
                    if (!EMPTY_SHA1.equals(rs.getString(1))) {
                        replaced.add(rs.getString(1));
                    }
                }
            }
        }
        long f1 = 0;
        String sql = "INSERT INTO " + db.table("files") + " (contenthash, pathnamehash, contextid, component, filearea, itemid, filepath, filename,"
                + " filesize, mimetype, status, timecreated, timemodified, sortorder) VALUES (?, ?, ?, 'user', 'icon', 0, '/', ?, ?, ?, 0, ?, ?, 0) RETURNING id";
        for (Map.Entry<String, byte[]> icon : new java.util.TreeMap<>(icons).entrySet()) {
            String hash = sha1(icon.getValue());
            writeToPool(hash, icon.getValue());
            long id = insert(c, sql, hash, userContextId, icon.getKey(), icon.getValue().length, "image/png", now);
            if (icon.getKey().equals("f1.png")) {
                f1 = id;
            }
        }
        insert(c, sql, EMPTY_SHA1, userContextId, ".", 0, null, now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.table("user") + " SET picture = ?, timemodified = ? WHERE id = ?")) {
            ps.setLong(1, f1);
            ps.setLong(2, now);
            ps.setLong(3, userId);
            ps.executeUpdate();
        }
    }

    private long insert(Connection c, String sql, String hash, long contextId, String filename, long size, String mimetype, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, hash);
            ps.setString(2, sha1(("/" + contextId + "/user/icon/0/" + filename).getBytes(StandardCharsets.UTF_8)));
            ps.setLong(3, contextId);
            ps.setString(4, filename);
            ps.setLong(5, size);
            ps.setString(6, mimetype);
            ps.setLong(7, now);
            ps.setLong(8, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Moves the contents that no file row references any more to {@code <dataroot>/trashdir}, as
     * Moodle's file_system_filedir::remove_file does; Moodle's cron empties the trash. Contents
     * still referenced (a rolled-back replacement, an icon shared with another user) stay.
     */
    public void releaseUnreferenced(Collection<String> hashes) throws SQLException, IOException {
        if (hashes.isEmpty()) {
            return;
        }
        java.util.Set<String> unused = new java.util.TreeSet<>(hashes);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT contenthash FROM " + db.table("files") + " WHERE contenthash = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", unused.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unused.remove(rs.getString(1));
                }
            }
        }
        for (String hash : unused) {
            Path content = poolPath("filedir", hash);
            if (Files.exists(content)) {
                Path trash = poolPath("trashdir", hash);
                Files.createDirectories(trash.getParent());
                Files.move(content, trash, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private Path poolPath(String area, String hash) {
        return dataroot.resolve(area).resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
    }

    /** The content goes to the file pool once: written to a temporary name, then moved in place. */
    private void writeToPool(String hash, byte[] content) throws IOException {
        Path target = poolPath("filedir", hash);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".moodle-sync-", ".tmp");
        Files.write(tmp, content);
        // readable by the web server's account, as Moodle's default $CFG->filepermissions leave pool files
        readableByAll(tmp, "rw-r--r--");
        for (Path dir = target.getParent(); dir != null && !dir.equals(dataroot); dir = dir.getParent()) {
            readableByAll(dir, "rwxr-xr-x");
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void readableByAll(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: its own access rules apply
        }
    }

    public static String sha1(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
