package org.moodlesync.moodle.cache;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * moodle.cache.invalidation=filestore: for sites whose application caches live in Moodle's
 * default file store, removes the folders of the affected definitions from
 * {@code <cachedir>/cachestore_file/default_application/}. The file store spreads a
 * definition's keys over hashed sub-folders, so a keyed invalidation removes the whole
 * definition folder: Moodle rebuilds what it needs on the next request. The coursemodinfo
 * entries need no removal: Moodle compares them with the course's cacherev, bumped in SQL.
 * Session caches cannot be reached this way (they live in the users' sessions and expire on
 * their own: coursecat after 10 minutes, calendar_categories after 15).
 */
public final class FileStoreInvalidation implements InvalidationStrategy {
    static final String STORE = "cachestore_file";
    static final String APPLICATION = "default_application";

    private final Path cacheDir;

    /** @param cacheDir Moodle's $CFG->cachedir (by default {@code <dataroot>/cache}) */
    public FileStoreInvalidation(Path cacheDir) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "filestore";
    }

    public Path applicationStore() {
        return cacheDir.resolve(STORE).resolve(APPLICATION);
    }

    @Override
    public String invalidate(CacheInvalidations.Snapshot what) throws CacheInvalidationException {
        if (!Files.isDirectory(cacheDir)) {
            Path parent = cacheDir.toAbsolutePath().getParent();
            if (parent != null && Files.isDirectory(parent)) {
                // Moodle makes its cache folder on its first cached value (a new site, or one whose caches were purged)
                return "no cache folder " + cacheDir + " yet: nothing to remove";
            }
            throw new CacheInvalidationException("Moodle's cache folder " + cacheDir + " is not reachable from this host (check moodle.dataroot or moodle.cachedir)");
        }
        Path store = applicationStore();
        Set<CacheDefinition> folders = EnumSet.noneOf(CacheDefinition.class);
        folders.addAll(what.purgedWithEvents());
        folders.addAll(what.keys().keySet());
        if (!Files.exists(store, LinkOption.NOFOLLOW_LINKS)) {
            // Moodle creates the store on its first cached value: nothing cached, nothing stale
            return "no application cache in " + store + " yet: nothing to remove";
        }
        Path realStore;
        try {
            realStore = store.toRealPath();
        } catch (IOException e) {
            throw new CacheInvalidationException("cannot open Moodle's file store " + store + ": " + e.getMessage(), e);
        }
        List<String> removed = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        for (CacheDefinition d : folders) {
            if (remove(realStore, d.folder(), leftovers)) {
                removed.add(d.id());
            }
        }
        return (removed.isEmpty() ? "no cached definition to remove" : "removed " + String.join(", ", removed)) + " in " + store
                + (what.courses().isEmpty() ? "" : "; coursemodinfo of " + what.courses().size() + " courses renewed through cacherev")
                + (leftovers.isEmpty() ? "" : "; could not delete the set-aside " + String.join(", ", leftovers));
    }

    /**
     * Moves the definition's folder aside under a hidden name (a rename is atomic: Moodle writing
     * into it meanwhile starts a fresh folder), then deletes it without following any link.
     */
    private static boolean remove(Path store, String folder, List<String> leftovers) throws CacheInvalidationException {
        Path target = store.resolve(folder);
        if (!target.getParent().equals(store)) {
            throw new IllegalArgumentException("not a definition folder: " + folder);
        }
        if (Files.isSymbolicLink(target)) {
            throw new CacheInvalidationException(target + " is a symbolic link: moodle-sync removes nothing outside Moodle's file store");
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path aside = store.resolve(".moodle-sync-removing-" + folder + "-" + System.nanoTime());
        try {
            Files.move(target, aside);
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            throw new CacheInvalidationException("cannot remove " + target + ": " + e.getMessage()
                    + " (moodle-sync needs write access to Moodle's cache folder)", e);
        }
        try {
            Files.walkFileTree(aside, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file); // a link inside is removed as a link, never followed
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // the definition is already out of Moodle's sight: only disk space is left behind
            leftovers.add(aside + " (" + e.getMessage() + ")");
        }
        return true;
    }
}
