package org.moodlesync.feed;

/**
 * A line that cannot be applied whole, found out only while writing it. Thrown, it rolls back
 * the chunk's transaction; {@link ChunkApplier} then applies the chunk line by line, so only
 * this line fails, with this message, and nothing of it stays written.
 */
final class LineRefusedException extends RuntimeException {
    LineRefusedException(String message) {
        super(message, null, false, false);
    }
}
