package org.moodlesync.pipeline;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of a feed file, as named in its header line (trimmed, lower-cased), plus the raw
 * bytes of that header line so a tryback file can repeat it byte for byte.
 */
public final class CsvHeader {
    private List<String> columns;
    private final Map<String, Integer> index;
    private final byte[] rawLine;
    private final char separator;
    private final byte[] lineTerminator;
    private final byte[] bom;

    /**
     * @param rawLine        the header line as read, without terminator; null for headerless feeds
     * @param lineTerminator the file's line terminator as found after the header ("\n" or "\r\n" or "\r")
     * @param bom            the byte order mark the file started with, or an empty array
     */
    public CsvHeader(List<String> columns, byte[] rawLine, char separator, byte[] lineTerminator, byte[] bom) {
        this.lineTerminator = lineTerminator;
        this.bom = bom;
        this.columns = List.copyOf(columns);
        this.index = new HashMap<>();
        for (int i = 0; i < this.columns.size(); i++) {
            index.putIfAbsent(this.columns.get(i), i);
        }
        this.rawLine = rawLine;
        this.separator = separator;
    }

    public static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    public List<String> columns() {
        return Collections.unmodifiableList(columns);
    }

    public boolean has(String column) {
        return index.containsKey(column);
    }

    /** Position of the column, or -1 when the file has no such column. */
    public int indexOf(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }

    /**
     * Renames columns (file name → feed name, e.g. {@code emp_no → idnumber}) before records are
     * read, so an export with its own column names feeds a standard feed. The raw header line is
     * kept as it was: a tryback file still carries the export's own names.
     */
    public void applyAliases(Map<String, String> aliases) {
        List<String> renamed = new java.util.ArrayList<>(columns.size());
        for (String c : columns) {
            renamed.add(aliases.getOrDefault(c, c));
        }
        columns = List.copyOf(renamed);
        index.clear();
        for (int i = 0; i < columns.size(); i++) {
            index.putIfAbsent(columns.get(i), i);
        }
    }

    public int size() {
        return columns.size();
    }

    /** The header line exactly as read (no line terminator); null for headerless feeds. */
    public byte[] rawLine() {
        return rawLine;
    }

    public char separator() {
        return separator;
    }

    public byte[] lineTerminator() {
        return lineTerminator;
    }

    public byte[] bom() {
        return bom;
    }
}
