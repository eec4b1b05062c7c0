package org.moodlesync.moodle.cache;

/**
 * How the invalidations recorded for a file reach Moodle (moodle.cache.invalidation):
 * {@link CommandInvalidation}, {@link FileStoreInvalidation} or {@link NoInvalidation}.
 */
public interface InvalidationStrategy {
    /** The configuration value naming the strategy. */
    String name();

    /**
     * Carries the invalidations out. Returns what was done, for the report; throws
     * {@link CacheInvalidationException} with a reason a Moodle administrator can act on.
     */
    String invalidate(CacheInvalidations.Snapshot what) throws CacheInvalidationException;

    /** False for {@link NoInvalidation}: nothing reaches Moodle. */
    default boolean reachesMoodle() {
        return true;
    }
}
