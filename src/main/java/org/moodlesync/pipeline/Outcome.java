package org.moodlesync.pipeline;

/**
 * The result of one input record: its physical line number, the key it was looked up by, the
 * operation that was attempted, what happened and a human-readable message.
 */
public record Outcome(CsvRecord record, String key, String operation, OutcomeType type, String message) {

    public long line() {
        return record.line();
    }

    public boolean failed() {
        return type == OutcomeType.FAILED;
    }

    public static Outcome failed(CsvRecord record, String key, String operation, String message) {
        return new Outcome(record, key, operation, OutcomeType.FAILED, message);
    }
}
