package org.moodlesync.moodle.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;

/** The filestore strategy on a temporary dataroot laid out like Moodle's default file store. */
class FileStoreInvalidationTest {
    @TempDir
    Path tmp;
    Path dataroot;
    Path store;
    Path outside;

    @BeforeEach
    void layOut() throws Exception {
        dataroot = tmp.resolve("moodledata");
        store = dataroot.resolve("cache/cachestore_file/default_application");
        for (String definition : List.of("core_coursecattree", "core_groupdata", "core_user_group_groupings", "core_coursecontacts",
                "core_coursemodinfo", "core_config")) {
            Path hashed = Files.createDirectories(store.resolve(definition).resolve("ab12"));
            Files.writeString(hashed.resolve("0123456789abcdef.cache"), "cached " + definition);
        }
        outside = Files.writeString(tmp.resolve("outside.txt"), "not Moodle's cache");
        Files.createSymbolicLink(store.resolve("core_groupdata/ab12/link.cache"), outside);
    }

    private static CacheInvalidations.Snapshot groupsAndCategories() {
        CacheInvalidations recorded = new CacheInvalidations();
        recorded.categoriesChanged();
        recorded.coursesChanged();
        recorded.groupsRestructured(12);
        recorded.courseCacheRebuilt(List.of(12L));
        return recorded.snapshot();
    }

    @Test
    void removesExactlyTheAffectedDefinitionsAndNeverFollowsLinks() throws Exception {
        String done = new FileStoreInvalidation(dataroot.resolve("cache")).invalidate(groupsAndCategories());
        assertTrue(done.startsWith("removed core/coursecattree, core/groupdata, core/user_group_groupings in "), done);
        for (String gone : List.of("core_coursecattree", "core_groupdata", "core_user_group_groupings")) {
            assertFalse(Files.exists(store.resolve(gone)), gone);
        }
        for (String kept : List.of("core_coursecontacts", "core_coursemodinfo", "core_config")) {
            assertTrue(Files.exists(store.resolve(kept).resolve("ab12/0123456789abcdef.cache")), kept + " is not affected");
        }
        assertTrue(Files.exists(outside), "a link inside a definition folder is removed as a link, its target stays");
        try (var left = Files.list(store)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".moodle-sync")), "nothing left aside");
        }
    }

    @Test
    void aDefinitionFolderThatIsALinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("keep.cache"), "x");
        deleteTree(store.resolve("core_coursecattree"));
        Files.createSymbolicLink(store.resolve("core_coursecattree"), elsewhere);
        CacheInvalidationException e = assertThrows(CacheInvalidationException.class,
                () -> new FileStoreInvalidation(dataroot.resolve("cache")).invalidate(groupsAndCategories()));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(Files.exists(elsewhere.resolve("keep.cache")));
    }

    @Test
    void anUnreachableCacheFolderFailsAndAnEmptyStoreHasNothingToRemove() throws Exception {
        assertThrows(CacheInvalidationException.class, () -> new FileStoreInvalidation(tmp.resolve("no-such-dataroot/cache")).invalidate(groupsAndCategories()));
        Path fresh = Files.createDirectories(tmp.resolve("fresh/cache"));
        assertTrue(new FileStoreInvalidation(fresh).invalidate(groupsAndCategories()).contains("nothing to remove"));
        Path notYet = Files.createDirectories(tmp.resolve("new-site")).resolve("cache");
        assertTrue(new FileStoreInvalidation(notYet).invalidate(groupsAndCategories()).contains("no cache folder"),
                "a dataroot whose cache folder Moodle has not made yet holds nothing stale");
    }

    @Test
    void aCoursesFileThroughTheRoutesRemovesTheCategoryTree() throws Exception {
        try (SyncFixture sync = new SyncFixture(tmp)) {
            sync.set(ConfigKeys.CACHE_INVALIDATION, "filestore").set(ConfigKeys.DATAROOT, dataroot.toString());
            RunSummary s = sync.feed("courses", "uploadcourses.csv", "shortname;fullname;category\nBIO;Biology;Life\n");
            assertFalse(Files.exists(store.resolve("core_coursecattree")), "the category tree Moodle showed without the new category");
            assertTrue(Files.exists(store.resolve("core_groupdata")), "groups were not touched");
            assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("Moodle caches: invalidated by filestore: events changesincoursecat, changesincourse (removed core/coursecattree")),
                    s.notes().toString());
            String html = Files.readString(s.reportHtml());
            assertTrue(html.contains("invalidated by filestore"), "the report says how");
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
