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
        createPrivateDirectories(dir);
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

    /**
     * Reserves a run's stamp in the reports folder: {@code stamp}, or {@code stamp-2}, {@code -3}...
     * when another run of a file of that name started in the same second. The report and the tryback
     * of the run then share it by construction. The reservation is a hidden marker file
     * ({@code .<base>_<stamp>.run}, created atomically), removed by {@link #release}.
     */
    static String reserveStamp(Path dir, String sourceName, String stamp) {
        String base = baseName(sourceName);
        try {
            createPrivateDirectories(dir);
            for (int n = 1; n <= MAX_SUFFIX; n++) {
                String candidate = n == 1 ? stamp : stamp + "-" + n;
                if (taken(dir, base + "_report_" + candidate + ".") || taken(dir, base + "_tryback_" + candidate + ".")) {
                    continue;
                }
                try {
                    Path marker = createOwnerOnly(dir.resolve("." + base + "_" + candidate + ".run"));
                    Files.writeString(marker, org.moodlesync.config.ThisProcess.id());
                    return candidate;
                } catch (FileAlreadyExistsException e) {
                    // another run of the same name this second: the next suffix
                }
            }
        } catch (IOException e) {
            // the report files will say so when they are written; a plain stamp still works
        }
        return stamp;
    }

    /** Whether the marker was written by a process of this host that is gone (killed part-way). */
    private static boolean deadRunner(Path marker) {
        try {
            String[] who = Files.readString(marker).trim().split("@", 2);
            return who.length == 2 && who[1].equals(org.moodlesync.config.ThisProcess.host()) && ProcessHandle.of(Long.parseLong(who[0])).isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void release(Path dir, String sourceName, String stamp) {
        try {
            Files.deleteIfExists(dir.resolve("." + baseName(sourceName) + "_" + stamp + ".run"));
        } catch (IOException e) {
            // a leftover marker is removed with the stale temporary files
        }
    }

    private static boolean taken(Path dir, String prefix) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
        }
    }

    /**
     * Removes what a run killed part-way left in the reports folder: the hidden temporary report
     * files ({@code .<base>_report_*.tmp}) and stamp markers ({@code .<base>_*.run}) not written
     * to for {@code olderThan}; of the files of one name ({@code sourceName}), or of all (null).
     * Returns how many were removed.
     */
    public static int removeLeftovers(Path dir, String sourceName, java.time.Duration olderThan) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        String base = sourceName == null ? ".+" : java.util.regex.Pattern.quote(baseName(sourceName));
        java.util.regex.Pattern marker = java.util.regex.Pattern.compile("\\.(" + base + ")_(\\d{8}-\\d{6}(-\\d+)?)\\.run");
        java.util.regex.Pattern temp = java.util.regex.Pattern.compile("\\." + base + "_report_\\d{8}-\\d{6}.*\\.tmp");
        long before = System.currentTimeMillis() - olderThan.toMillis();
        List<Path> doomed = new ArrayList<>();
        List<String> deadPrefixes = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            for (Path f : all) {
                java.util.regex.Matcher m = marker.matcher(f.getFileName().toString());
                if (m.matches() && sourceName != null && deadRunner(f)) {
                    // a run of this host that was killed: its files go now, whatever their age
                    doomed.add(f);
                    deadPrefixes.add("." + m.group(1) + "_report_" + m.group(2) + "_");
                }
            }
            for (Path f : all) {
                String name = f.getFileName().toString();
                boolean leftover = marker.matcher(name).matches() || temp.matcher(name).matches();
                boolean ofDeadRun = deadPrefixes.stream().anyMatch(name::startsWith);
                try {
                    if (leftover && !doomed.contains(f) && (ofDeadRun || Files.getLastModifiedTime(f).toMillis() < before)) {
                        doomed.add(f);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        int removed = 0;
        for (Path f : doomed) {
            try {
                if (Files.deleteIfExists(f)) {
                    removed++;
                }
            } catch (IOException e) {
                // not ours to remove after all: leave it
            }
        }
        return removed;
    }

    /** A new temporary file in {@code dir}, rw------- where supported. */
    static Path createTemp(Path dir, String prefix) throws IOException {
        createPrivateDirectories(dir);
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

    /**
     * Creates the folder and its missing parents rwx------ where supported: moodle-sync's own
     * folders (reports, archive, failed, the inbox's work folders) hold student data.
     */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        try {
            return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createDirectories(dir);
        }
    }

    /** Copies a file into {@code target}, created rw------- from the start (no moment with wider rights). */
    public static Path copyOwnerOnly(Path file, Path target) throws IOException {
        createOwnerOnly(target);
        try (java.io.InputStream in = Files.newInputStream(file);
             java.io.OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        return target;
    }

    private static FileAttribute<?> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }
}
