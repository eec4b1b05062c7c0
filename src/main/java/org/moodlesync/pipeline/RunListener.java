package org.moodlesync.pipeline;

/**
 * Told how every file ended, whatever way it came in: the run history, the metrics and the
 * completion events listen (org.moodlesync.events.RunCompletion).
 */
public interface RunListener {
    /** The file went through; its report is written. */
    void finished(RunSummary summary);

    /** The file stopped part-way (the database was lost): the lines before keep their report. */
    void stopped(RunSummary partial, String reason);

    /** The file could not be processed at all (unknown name, bad header, database not reachable). */
    void rejected(String feed, String file, String reason);
}
