package org.moodlesync.pipeline;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the files of the reports directory: owner-only (they hold student data), never over an
 * existing file (a rerun within the same second, or two instances, must not destroy a report).
 */
public final class ReportFiles {
    private static final int MAX_SUFFIX = 10_000;

    private ReportFiles() {
    }

    /** The file name without directories and without its extension: "in/userimport.csv" gives "userimport". */
    static String baseName(String sourceName) {
        String name = fileName(sourceName);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The extension with its dot (".csv"), or "" when the name has none. */
    static String extension(String sourceName) {
        String name = fileName(sourceName);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : "";
    }

    // Directories are dropped so that a source name can never place a file outside the reports directory.
    private static String fileName(String sourceName) {
        String name = sourceName.substring(Math.max(sourceName.lastIndexOf('/'), sourceName.lastIndexOf('\\')) + 1);
        return name.isEmpty() || name.equals("..") || name.equals(".") ? "feed" : name;
    }

    /**
     * Creates {@code dir/stem + ext} for every extension, all with the same suffix: none, or the
     * first of "-2", "-3"... for which none of the names exists yet. The files are empty and
     * readable and writable by the owner only where the file system knows POSIX permissions.
     */
    static List<Path> createNew(Path dir, String stem, String... extensions) throws IOException {
        Files.createDirectories(dir);
        for (int n = 1; n <= MAX_SUFFIX; n++) {
            String suffix = n == 1 ? "" : "-" + n;
            List<Path> created = new ArrayList<>(extensions.length);
            try {
                for (String ext : extensions) {
                    created.add(createOwnerOnly(dir.resolve(stem + suffix + ext)));
                }
                return created;
            } catch (FileAlreadyExistsException e) {
                // CREATE_NEW semantics make this race-free: someone else has this suffix, try the next
                for (Path p : created) {
                    Files.deleteIfExists(p);
                }
            }
        }
        throw new IOException("more than " + MAX_SUFFIX + " files named " + stem + "* in " + dir);
    }

    /** A new empty file, rw------- where supported. */
    static Path createOwnerOnly(Path file) throws IOException {
        try {
            return Files.createFile(file, ownerOnly());
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (e.g. Windows): the directory's ACL is all we have
            return Files.createFile(file);
        }
    }

    /** A new temporary file in {@code dir}, rw------- where supported. */
    static Path createTemp(Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        try {
            return Files.createTempFile(dir, prefix, ".tmp", ownerOnly());
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, prefix, ".tmp");
        }
    }

    /** Makes an existing file rw------- where supported. */
    public static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
    }

    private static FileAttribute<?> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }
}
