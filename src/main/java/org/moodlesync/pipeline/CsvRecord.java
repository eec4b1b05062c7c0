package org.moodlesync.pipeline;

/**
 * One data record of a feed file: its values by column name, the physical line number where it
 * starts, and its raw bytes exactly as they were in the input (quoted line breaks included, line
 * terminator excluded), which is what the tryback file repeats.
 *
 * <p>{@link #get(String)} returns null when the file has no such column, and the (trimmed) cell
 * text otherwise, which may be empty. Feeds rely on that difference: an absent column leaves a
 * Moodle value alone, an empty cell sets it empty.
 */
public final class CsvRecord {
    private final CsvHeader header;
    private final String[] values;
    private final long line;
    private final byte[] raw;
    private final String decodingError;

    public CsvRecord(CsvHeader header, String[] values, long line, byte[] raw, String decodingError) {
        this.header = header;
        this.values = values;
        this.line = line;
        this.raw = raw;
        this.decodingError = decodingError;
    }

    public String get(String column) {
        int i = header.indexOf(column);
        return i < 0 || i >= values.length ? null : values[i];
    }

    public boolean has(String column) {
        return header.has(column);
    }

    /** The cell, or "" when the column is absent. */
    public String text(String column) {
        String v = get(column);
        return v == null ? "" : v;
    }

    public CsvHeader header() {
        return header;
    }

    public int valueCount() {
        return values.length;
    }

    public long line() {
        return line;
    }

    public byte[] raw() {
        return raw;
    }

    /**
     * Why this record could not be read as a whole (bytes invalid in the configured encoding,
     * wrong number of values, unterminated quote), or null when it was read fine. Feeds turn it
     * into a failed outcome before looking at the values.
     */
    public String readError() {
        return decodingError;
    }
}
