package org.moodlesync.pipeline;

/**
 * What became of one input line. Every line ends in exactly one of these; {@link #FAILED} lines
 * go to the tryback file.
 */
public enum OutcomeType {
    CREATED, UPDATED, UNCHANGED, DELETED, SUSPENDED, REVIVED, FAILED, SKIPPED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
