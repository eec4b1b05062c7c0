package org.moodlesync.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.SyncConfig;
import org.moodlesync.moodle.Category;
import org.moodlesync.moodle.CategoryPath;
import org.moodlesync.moodle.CategoryTree;
import org.moodlesync.moodle.MoodleCategories;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.MoodleUnavailableException;
import org.moodlesync.moodle.cache.CacheInvalidations;
import org.moodlesync.moodle.cache.CacheInvalidator;

/**
 * {@code moodle-sync clean-categories [--under <path|idnumber>] [--dry-run]}: removes the
 * categories that hold no course and no non-empty sub-category (tool_sync §2.8), listing them,
 * with paths, sortorders and contexts kept right.
 */
final class CleanCategoriesCommand {
    private final SyncConfig config;
    private final PrintStream out;
    private final PrintStream err;

    CleanCategoriesCommand(SyncConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int run(CommandLine cl) throws Exception {
        boolean dryRun = cl.flag("dry-run") || config.flag(ConfigKeys.DRY_RUN);
        String under = cl.options().get("under");
        try (HikariDataSource ds = MoodleSyncApp.dataSource(config)) {
            MoodleDatabase db = new MoodleDatabase(ds, config.get(ConfigKeys.DB_PREFIX, "mdl_"));
            MoodleSite site;
            try {
                site = MoodleSite.load(db);
            } catch (MoodleUnavailableException e) {
                err.println("moodle-sync: " + e.getMessage());
                return ExitCodes.NOT_PROCESSED;
            }
            MoodleCategories categories = new MoodleCategories(db, site.schema());
            CacheInvalidator invalidator = MoodleSyncApp.cacheInvalidator(config);
            CacheInvalidations caches = new CacheInvalidations();
            List<Category> removed = db.inTransaction(caches, dryRun, c -> {
                CategoryTree tree = categories.load(c);
                Long root = null;
                if (under != null) {
                    Category found = find(tree, under).orElseThrow(() -> new IllegalArgumentException("no category with idnumber or path \"" + under + "\""));
                    root = found.id();
                }
                List<Category> gone = categories.deleteEmpty(c, tree, root, dryRun);
                if (!dryRun) {
                    categories.fixSortorder(c, tree);
                }
                return gone;
            });
            String verb = dryRun ? "would remove" : "removed";
            for (Category cat : removed) {
                out.println(verb + ": " + cat.name() + " (id " + cat.id() + (cat.hasIdnumber() ? ", idnumber " + cat.idnumber() : "") + ", path " + cat.path() + ")");
            }
            out.println((dryRun ? "[dry run] " : "") + removed.size() + " empty " + (removed.size() == 1 ? "category " : "categories ")
                    + (dryRun ? "would be removed" : "removed") + " at " + Instant.now());
            String cacheLine = invalidator.carryOut(caches, dryRun, "clean-categories");
            if (cacheLine != null) {
                out.println(cacheLine);
            }
            return ExitCodes.OK;
        }
    }

    /** An idnumber first, then a path of names from the top. */
    private static Optional<Category> find(CategoryTree tree, String spec) {
        Optional<Category> byIdnumber = tree.byIdnumber(spec);
        if (byIdnumber.isPresent()) {
            return byIdnumber;
        }
        long parent = 0;
        Category current = null;
        for (String name : CategoryPath.parse(spec)) {
            Optional<Category> child = tree.childNamed(parent, name);
            if (child.isEmpty()) {
                return Optional.empty();
            }
            current = child.get();
            parent = current.id();
        }
        return Optional.ofNullable(current);
    }
}
