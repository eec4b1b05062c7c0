package org.moodlesync.pipeline;

import java.util.List;

/**
 * A run of consecutive records of one file, the unit of work of the feed processors: they
 * resolve the keys of a chunk with one query per kind and write it in one transaction.
 */
public record Chunk(FeedRun run, List<CsvRecord> records, String operation) {

    public Chunk(FeedRun run, List<CsvRecord> records) {
        this(run, records, null);
    }

    public Chunk withOperation(String op, List<CsvRecord> subset) {
        return new Chunk(run, subset, op);
    }

    public int size() {
        return records.size();
    }
}
