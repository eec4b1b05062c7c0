package org.moodlesync.moodle.cache;

/** An invalidation that did not reach Moodle; the message says why. The data written stays written. */
public final class CacheInvalidationException extends Exception {
    public CacheInvalidationException(String message) {
        super(message);
    }

    public CacheInvalidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
