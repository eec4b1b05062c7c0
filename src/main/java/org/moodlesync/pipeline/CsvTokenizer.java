package org.moodlesync.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into CSV records and each record into field ranges, without decoding.
 *
 * <p>Works on bytes because the separators, {@code "}, CR and LF are single ASCII bytes in every
 * encoding a feed may use (UTF-8, ISO-8859-1), and because the tryback file must repeat a failed
 * record byte for byte. Decoding happens later, per field ({@link FieldDecoder}).
 *
 * <p>Rules (RFC 4180, made lenient where real files need it):
 * <ul>
 * <li>a record ends at LF, CRLF or CR (old Mac) outside quotes, or at the end of the input;</li>
 * <li>a field is quoted when its first non-blank byte is {@code "}; inside quotes, {@code ""} is a
 *     quote and separators and line breaks are content. A {@code "} anywhere else is an ordinary
 *     character, so that an unquoted {@code O"Brien} cannot swallow the rest of the file;</li>
 * <li>text after a closing quote other than blanks is remembered as an error
 *     ({@link #junkAfterQuoteField()}), not guessed at;</li>
 * <li>a record whose first byte is {@code #} is a comment: it ends at the next line break even if
 *     it contains quotes.</li>
 * </ul>
 *
 * <p>Memory: one read buffer plus one record buffer that grows to the longest record seen.
 * Not thread-safe; one instance reads one stream.
 */
final class CsvTokenizer {
    static final int DEFAULT_BUFFER = 1 << 16;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte QUOTE = '"';

    /** No limit but the largest array the JVM will allocate, about 2 GiB. */
    static final int UNLIMITED = Integer.MAX_VALUE - 8;

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_SEEN = 3;
    private static final int AFTER_QUOTE = 4;

    /** The line terminator a record ended with. */
    enum Terminator {
        NONE(new byte[0]), LF(new byte[] {'\n'}), CRLF(new byte[] {'\r', '\n'}), CR(new byte[] {'\r'});

        private final byte[] bytes;

        Terminator(byte[] bytes) {
            this.bytes = bytes;
        }

        byte[] bytes() {
            return bytes.clone();
        }
    }

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    // Two separators so that the header can be split on both ';' and ',' while detecting; the
    // same byte twice once the separator is known.
    private byte sep1;
    private byte sep2;

    /** Physical line number of the next byte to read, 1-based. */
    private long nextLine;

    private int maxLength = UNLIMITED;

    // The current record.
    private byte[] rec = new byte[256];
    private int len;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] quoted = new boolean[16];
    private boolean[] escaped = new boolean[16];
    private int fields;
    private long startLine;
    private long quoteLine;
    private Terminator terminator;
    private boolean comment;
    private boolean unclosedQuote;
    private int junkField;
    private int highBits;
    private int count1;
    private int count2;

    CsvTokenizer(InputStream in, byte sep1, byte sep2, long firstLine, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
        this.sep1 = sep1;
        this.sep2 = sep2;
        this.nextLine = firstLine;
    }

    CsvTokenizer(InputStream in, byte sep1, byte sep2) {
        this(in, sep1, sep2, 1, DEFAULT_BUFFER);
    }

    void separators(byte sep1, byte sep2) {
        this.sep1 = sep1;
        this.sep2 = sep2;
    }

    /**
     * True when the input starts with these bytes; reads ahead as needed but consumes nothing.
     * Only meaningful before the first {@link #next()}.
     */
    boolean startsWith(byte[] prefix) throws IOException {
        while (limit - pos < prefix.length && fill()) {
            // keep reading: a slow stream may hand out fewer bytes than asked
        }
        if (limit - pos < prefix.length) {
            return false;
        }
        return Arrays.equals(buf, pos, pos + prefix.length, prefix, 0, prefix.length);
    }

    void skip(int n) {
        pos += n;
    }

    /**
     * Reads the next record. Returns false at the end of the input. Blank lines come back as
     * records too (with one empty field): skipping them is the reader's business.
     */
    boolean next() throws IOException {
        len = 0;
        fields = 0;
        terminator = Terminator.NONE;
        comment = false;
        unclosedQuote = false;
        junkField = -1;
        highBits = 0;
        count1 = 0;
        count2 = 0;
        if (pos == limit && !fill()) {
            return false;
        }
        startLine = nextLine;
        if (buf[pos] == '#') {
            comment = true;
            readComment();
            return true;
        }
        readRecord();
        return true;
    }

    private void readComment() throws IOException {
        while (pos < limit || fill()) {
            byte b = buf[pos++];
            if (b == CR || b == LF) {
                endRecord(b);
                return;
            }
            append(b);
        }
        endField(0, len, false, false);
    }

    // One state machine over the bytes; kept in a single method because it is the hot loop.
    private void readRecord() throws IOException {
        int state = FIELD_START;
        int fieldStart = 0;
        int contentStart = 0;
        int contentEnd = 0;
        boolean fieldEscaped = false;
        int high = 0;
        while (pos < limit || fill()) {
            byte b = buf[pos++];
            high |= b;
            switch (state) {
                case FIELD_START, UNQUOTED -> {
                    if (b == sep1 || b == sep2) {
                        countSeparator(b);
                        endField(fieldStart, len, false, false);
                        fieldStart = len + 1;
                        state = FIELD_START;
                    } else if (b == CR || b == LF) {
                        endField(fieldStart, len, false, false);
                        highBits = high;
                        endRecord(b);
                        return;
                    } else if (state == FIELD_START && b == QUOTE) {
                        state = QUOTED;
                        contentStart = len + 1;
                        fieldEscaped = false;
                        quoteLine = nextLine;
                    } else if (b != ' ' && b != '\t') {
                        state = UNQUOTED;
                    }
                }
                case QUOTED -> {
                    if (b == QUOTE) {
                        state = QUOTE_SEEN;
                        contentEnd = len;
                    } else if (b == CR || (b == LF && (len == 0 || rec[len - 1] != CR))) {
                        nextLine++;
                    }
                }
                case QUOTE_SEEN, AFTER_QUOTE -> {
                    if (state == QUOTE_SEEN && b == QUOTE) {
                        state = QUOTED;
                        fieldEscaped = true;
                    } else if (b == sep1 || b == sep2) {
                        countSeparator(b);
                        endField(contentStart, contentEnd, true, fieldEscaped);
                        fieldStart = len + 1;
                        state = FIELD_START;
                    } else if (b == CR || b == LF) {
                        endField(contentStart, contentEnd, true, fieldEscaped);
                        highBits = high;
                        endRecord(b);
                        return;
                    } else {
                        if (b != ' ' && b != '\t' && junkField < 0) {
                            junkField = fields;
                        }
                        state = AFTER_QUOTE;
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
            append(b);
        }
        // End of input without a terminator.
        highBits = high;
        switch (state) {
            case QUOTED -> {
                unclosedQuote = true;
                endField(contentStart, len, true, fieldEscaped);
            }
            case QUOTE_SEEN, AFTER_QUOTE -> endField(contentStart, contentEnd, true, fieldEscaped);
            default -> endField(fieldStart, len, false, false);
        }
    }

    private void countSeparator(byte b) {
        if (b == sep1) {
            count1++;
        } else {
            count2++;
        }
    }

    private void endRecord(byte b) throws IOException {
        if (b == LF) {
            terminator = Terminator.LF;
        } else if ((pos < limit || fill()) && buf[pos] == LF) {
            pos++;
            terminator = Terminator.CRLF;
        } else {
            terminator = Terminator.CR;
        }
        nextLine++;
    }

    private void append(byte b) {
        if (len == rec.length) {
            grow();
        }
        rec[len++] = b;
    }

    private void grow() {
        if (len >= maxLength) {
            throw new RecordTooLongException(startLine, maxLength);
        }
        rec = Arrays.copyOf(rec, (int) Math.min(2L * rec.length, maxLength));
    }

    /**
     * Limits the length of the records read from now on (the header: a header line of megabytes is
     * a quote that is never closed, and must not pull the whole file into memory).
     */
    void maxLength(int bytes) {
        this.maxLength = bytes;
    }

    /** A record longer than the limit; in practice a quote that is never closed. */
    static final class RecordTooLongException extends RuntimeException {
        private final long line;

        RecordTooLongException(long line, int limit) {
            super("the record starting on line " + line + " is longer than " + limit
                    + " bytes; is a quote never closed?");
            this.line = line;
        }

        long line() {
            return line;
        }
    }

    private void endField(int start, int end, boolean isQuoted, boolean isEscaped) {
        if (fields == starts.length) {
            int n = fields * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            quoted = Arrays.copyOf(quoted, n);
            escaped = Arrays.copyOf(escaped, n);
        }
        starts[fields] = start;
        ends[fields] = end;
        quoted[fields] = isQuoted;
        escaped[fields] = isEscaped;
        fields++;
    }

    /** Refills the read buffer; false at the end of the input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            // keep unread bytes (startsWith may look ahead before anything is consumed)
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            return true;
        }
        int n = in.read(buf, limit, buf.length - limit);
        while (n == 0) {
            n = in.read(buf, limit, buf.length - limit);
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** The record's bytes; only the first {@link #length()} are valid, until the next call. */
    byte[] bytes() {
        return rec;
    }

    int length() {
        return len;
    }

    byte[] copyBytes() {
        return Arrays.copyOf(rec, len);
    }

    int fieldCount() {
        return fields;
    }

    /** Start of the field's content: after the opening quote for quoted fields. */
    int fieldStart(int i) {
        return starts[i];
    }

    /** End (exclusive) of the field's content: at the closing quote for quoted fields. */
    int fieldEnd(int i) {
        return ends[i];
    }

    boolean fieldQuoted(int i) {
        return quoted[i];
    }

    /** True when the quoted field contains {@code ""} pairs to be turned into single quotes. */
    boolean fieldEscaped(int i) {
        return escaped[i];
    }

    /** Physical line where the record starts. */
    long startLine() {
        return startLine;
    }

    /** Physical line of the next record (one past the last line of this one). */
    long nextLine() {
        return nextLine;
    }

    Terminator terminator() {
        return terminator;
    }

    boolean comment() {
        return comment;
    }

    /** True when the input ended inside a quoted field; see {@link #unclosedQuoteLine()}. */
    boolean unclosedQuote() {
        return unclosedQuote;
    }

    long unclosedQuoteLine() {
        return quoteLine;
    }

    /** Index of the first field with text after its closing quote, or -1. */
    int junkAfterQuoteField() {
        return junkField;
    }

    /** True when the record has bytes above 0x7F, which need checking against the charset. */
    boolean nonAscii() {
        return highBits < 0;
    }

    /** How many times the first separator occurred outside quotes in this record. */
    int firstSeparatorCount() {
        return count1;
    }

    /** How many times the second separator occurred outside quotes in this record. */
    int secondSeparatorCount() {
        return count2;
    }

    /** True when every field is unquoted and blank: an empty, blank or separators-only line. */
    boolean blank() {
        for (int i = 0; i < fields; i++) {
            if (quoted[i]) {
                return false;
            }
            for (int j = starts[i]; j < ends[i]; j++) {
                if (!isBlank(rec[j])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Blank as String.trim() sees it: ASCII controls and space (never part of a UTF-8 sequence). */
    static boolean isBlank(byte b) {
        return b >= 0 && b <= ' ';
    }

    void close() throws IOException {
        in.close();
    }
}
