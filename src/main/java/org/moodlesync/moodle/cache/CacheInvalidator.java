package org.moodlesync.moodle.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out, once per file, the invalidations its committed transactions recorded, with the
 * configured strategy, and says in one line what happened for the report. It never throws: a
 * failed invalidation is a warning, the data written stays written.
 */
public final class CacheInvalidator {
    private static final Logger LOG = LoggerFactory.getLogger(CacheInvalidator.class);
    public static final String PREFIX = "Moodle caches: ";
    public static final String PURGE_HINT = "purge them on the Moodle host: php admin/cli/purge_caches.php --muc";

    private final InvalidationStrategy strategy;

    public CacheInvalidator(InvalidationStrategy strategy) {
        this.strategy = strategy;
    }

    /**
     * The strategy named by moodle.cache.invalidation.
     *
     * @param cacheDir Moodle's cache folder for filestore ($CFG->cachedir, by default {@code <dataroot>/cache}); may be null otherwise
     */
    public static InvalidationStrategy strategy(String name, String command, Duration timeout, Path cacheDir) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "none", "" -> new NoInvalidation();
            case "command" -> new CommandInvalidation(command, timeout);
            case "filestore" -> {
                if (cacheDir == null) {
                    throw new IllegalArgumentException("moodle.cache.invalidation=filestore needs moodle.dataroot (or moodle.cachedir when Moodle's $CFG->cachedir is elsewhere)");
                }
                yield new FileStoreInvalidation(cacheDir);
            }
            default -> throw new IllegalArgumentException("moodle.cache.invalidation must be command, filestore or none, not \"" + name + "\"");
        };
    }

    public InvalidationStrategy strategy() {
        return strategy;
    }

    /**
     * @return the report line, or null when the file changed nothing Moodle caches
     */
    public String carryOut(CacheInvalidations recorded, boolean dryRun, String source) {
        CacheInvalidations.Snapshot what = recorded.snapshot();
        if (what.isEmpty()) {
            return null;
        }
        String needed = what.describe();
        if (dryRun) {
            String line = PREFIX + "would invalidate (" + strategy.name() + "): " + needed;
            LOG.info("[dry run] {}: {}", source, line);
            return line;
        }
        if (!strategy.reachesMoodle()) {
            String line = "WARNING " + PREFIX + "not invalidated (moodle.cache.invalidation=none), Moodle may show old data until its caches are purged: "
                    + needed + "; " + PURGE_HINT;
            LOG.warn("{}: {}", source, line);
            return line;
        }
        try {
            String done = strategy.invalidate(what);
            String line = PREFIX + "invalidated by " + strategy.name() + ": " + needed + " (" + done + ")";
            LOG.info("{}: {}", source, line);
            return line;
        } catch (CacheInvalidationException | RuntimeException e) {
            String line = "WARNING " + PREFIX + "invalidation by " + strategy.name() + " failed, the data is written but Moodle may show old data: "
                    + e.getMessage() + "; needed: " + needed + "; " + PURGE_HINT;
            LOG.warn("{}: {}", source, line);
            return line;
        }
    }
}
