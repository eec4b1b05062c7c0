package org.moodlesync.moodle.cache;

/** moodle.cache.invalidation=none: nothing is done; the report and the log say that Moodle needs a cache purge. */
public final class NoInvalidation implements InvalidationStrategy {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public String invalidate(CacheInvalidations.Snapshot what) {
        return "nothing done";
    }

    @Override
    public boolean reachesMoodle() {
        return false;
    }
}
