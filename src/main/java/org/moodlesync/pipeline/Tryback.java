package org.moodlesync.pipeline;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a file's failed records go, in a form that can be fed again as it is: the failed CSV
 * lines under the original header ({@link TrybackWriter}), or the failed entries of an archive
 * ({@link ZipTryback}). Created on the first failure only; one thread at a time (FeedRun
 * synchronizes).
 */
public interface Tryback {
    void add(CsvRecord failed);

    /** Flushes and closes; returns the file, or null when nothing failed. Idempotent. */
    Path close() throws IOException;
}
