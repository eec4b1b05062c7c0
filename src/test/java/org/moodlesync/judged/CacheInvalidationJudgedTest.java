package org.moodlesync.judged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.SyncFixture;
import org.moodlesync.support.TestMoodle;

/**
 * Moodle's caches, for real: a live site has cached its category tree and a course's groups; moodle-sync then
 * creates a category and a group. With the {@code command} strategy (contrib/moodle/invalidate.php run against
 * the test Moodle) and with the {@code filestore} strategy (the site's file cache store), Moodle's APIs see them
 * at once, through their caches and without a purge. With {@code none} they stay stale, which shows the test
 * would notice an invalidation that does nothing.
 */
class CacheInvalidationJudgedTest {
    private static final Map<String, String> NO_PURGE = Map.of("MOODLE_JUDGE_NO_PURGE", "1");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"command", "filestore"})
    void aNewCategoryAndGroupAreSeenThroughWarmCaches(String strategy) throws Exception {
        JsonNode tree = afterChanges(strategy);
        assertTrue(categories(tree).contains("/Fraîche/Sous-catégorie"), strategy + ": Moodle's cached tree shows the new category: " + tree);
        assertTrue(groups(tree).contains("Nouveau groupe"), strategy + ": Moodle's cached groups show the new group: " + tree);
    }

    @Test
    void withoutInvalidationMoodleShowsItsStaleCaches() throws Exception {
        JsonNode tree = afterChanges("none");
        assertFalse(categories(tree).contains("/Fraîche/Sous-catégorie"), "the stale tree: " + tree);
        assertFalse(groups(tree).contains("Nouveau groupe"), "the stale groups: " + tree);
    }

    /** Warms a site's caches, changes it with moodle-sync under the strategy, and returns what tree.php sees through the caches. */
    private JsonNode afterChanges(String strategy) throws Exception {
        try (TestMoodle moodle = TestMoodle.require()) {
            String db = moodle.freshCopy("judged_cache_" + strategy);
            try (SyncFixture sync = new SyncFixture(dir, TestMoodle.jdbcUrl(db), TestMoodle.USER, TestMoodle.PASSWORD)) {
                sync.set(ConfigKeys.CACHE_INVALIDATION, strategy)
                        .set(ConfigKeys.DATAROOT, moodle.dataroot().toString())
                        .set(ConfigKeys.CACHEDIR, moodle.cacheDir(db).toString())
                        .set(ConfigKeys.CACHE_COMMAND, "env MOODLE_JUDGE_DB=" + db + " php "
                                + SyncFixture.projectHome().resolve("contrib/moodle/invalidate.php") + " --moodle=" + moodle.moodleDir());
                ok(sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber;category\nCACHE-1;Cache one;CACHE-1;Ancienne\n"));
                ok(sync.feed("groups", "groups.csv", "type;courseid;name;idnumber\ngroup;CACHE-1;Ancien groupe;OLD\n"));

                JsonNode warm = moodle.judge(db, Map.of(), "tree.php"); // purges, then fills the caches as a live site's pages do
                assertEquals(List.of("/Ancienne"), categories(warm).stream().filter(c -> !c.equals("/Category 1")).toList(), warm.toString());
                assertEquals(List.of("Ancien groupe"), groups(warm), warm.toString());

                ok(sync.feed("courses", "uploadcourses.csv", "shortname;fullname;idnumber;category\nCACHE-2;Cache two;CACHE-2;Fraîche/Sous-catégorie\n"));
                ok(sync.feed("groups", "groups.csv", "type;courseid;name;idnumber\ngroup;CACHE-1;Nouveau groupe;NEW\n"));
            }
            return moodle.judge(db, NO_PURGE, "tree.php");
        }
    }

    private static void ok(RunSummary s) {
        assertEquals(0, s.failed(), s.oneLine());
    }

    private static List<String> categories(JsonNode tree) {
        List<String> out = new ArrayList<>();
        tree.path("categories").forEach(c -> out.add(c.asText()));
        return out;
    }

    private static List<String> groups(JsonNode tree) {
        List<String> out = new ArrayList<>();
        tree.path("groups").path("CACHE-1").forEach(g -> out.add(g.asText()));
        return out;
    }
}
