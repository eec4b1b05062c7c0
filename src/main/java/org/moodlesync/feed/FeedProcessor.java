package org.moodlesync.feed;

import org.moodlesync.pipeline.FeedRun;

/**
 * A feed's processor bean; one bean may serve several feeds (users, users-delete, users-suspend). The pipeline calls {@link #prepare} once per file, after the header
 * was accepted and before the first chunk; the YAML routes then call the processor's operation
 * methods with each chunk.
 */
public interface FeedProcessor {
    /**
     * Reads what the file needs from Moodle (site settings, profile field definitions...) into
     * the run. Throws {@link org.moodlesync.moodle.MoodleUnavailableException} when the database
     * cannot be used, which rejects the file as a whole.
     */
    void prepare(FeedRun run);

    /** Called once after the file's last chunk, before the report is written (e.g. to purge what the file emptied). */
    default void finish(FeedRun run) {
    }
}
