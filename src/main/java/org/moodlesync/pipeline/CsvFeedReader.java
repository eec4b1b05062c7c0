package org.moodlesync.pipeline;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Streams the records of one feed file, the header having been read and checked by
 * {@link #open}. Memory does not depend on the size of the file: one record is read ahead.
 *
 * <p>Not skipped but returned with a {@link CsvRecord#readError()}, so that they end up failed
 * in the report and in the tryback file: records that are not valid in the charset, records with
 * a wrong number of values, an unterminated quote, text after a closing quote. Skipped and
 * counted ({@link #skippedLines()}): empty or blank lines, lines of separators only, and lines
 * starting with {@code #}.
 *
 * <p>Not thread-safe. Reading errors of the underlying stream surface as
 * {@link UncheckedIOException} from {@link #hasNext()}/{@link #next()}.
 */
public final class CsvFeedReader implements Iterator<CsvRecord>, Closeable {
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] UTF16LE_BOM = {(byte) 0xFF, (byte) 0xFE};
    private static final byte[] UTF16BE_BOM = {(byte) 0xFE, (byte) 0xFF};
    private static final byte[] DEFAULT_TERMINATOR = {'\n'};
    /** Far beyond any real header (thousands of columns), far below what would strain the heap. */
    static final int MAX_HEADER = 1 << 20;

    private final CsvTokenizer tokenizer;
    private final FieldDecoder decoder;
    private final boolean headerless;
    private CsvHeader header;
    private CsvRecord ahead;
    private boolean ended;
    private long skipped;

    private CsvFeedReader(InputStream in, CsvOptions options) {
        Character sep = options.separator();
        byte first = sep == null ? SeparatorDetector.SEMICOLON : (byte) sep.charValue();
        byte second = sep == null ? SeparatorDetector.COMMA : first;
        this.tokenizer = new CsvTokenizer(in, first, second);
        this.decoder = new FieldDecoder(options.charset());
        this.headerless = options.fixedColumns() != null;
    }

    /**
     * Opens a feed file: reads its header line (unless {@code options.fixedColumns()} is set) and
     * leaves the reader on the first record.
     *
     * @throws FileRejectedException when the file cannot be read or its header is unusable (empty
     *                               file, empty or duplicate column name, wrong encoding); the
     *                               stream is closed then
     */
    public static CsvFeedReader open(InputStream in, CsvOptions options) {
        Objects.requireNonNull(in, "in");
        checkOptions(options);
        CsvFeedReader reader = new CsvFeedReader(in, options);
        try {
            reader.start(options);
            return reader;
        } catch (IOException e) {
            reader.closeQuietly();
            throw new FileRejectedException("cannot read the file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            reader.closeQuietly();
            throw e;
        }
    }

    private static void checkOptions(CsvOptions options) {
        Objects.requireNonNull(options.charset(), "charset");
        Character sep = options.separator();
        if (sep != null && (sep > 0x7F || sep == '"' || sep == '\r' || sep == '\n' || sep == '#')) {
            // the tokenizer works on bytes: the separator must be one ASCII byte that means nothing else
            throw new IllegalArgumentException("unusable separator " + sep);
        }
        if (options.fixedColumns() != null && options.fixedColumns().isEmpty()) {
            throw new IllegalArgumentException("fixedColumns must name at least one column");
        }
    }

    private void start(CsvOptions options) throws IOException {
        byte[] bom = readBom(options.charset());
        boolean detect = options.separator() == null;
        if (!headerless) {
            tokenizer.maxLength(MAX_HEADER);
        }
        boolean any;
        boolean sawLines;
        try {
            any = tokenizer.next();
            sawLines = any;
            while (any && skippable()) {
                skipped++;
                any = tokenizer.next();
            }
        } catch (CsvTokenizer.RecordTooLongException e) {
            throw new FileRejectedException("header: " + e.getMessage());
        }
        tokenizer.maxLength(CsvTokenizer.UNLIMITED);
        if (!any) {
            if (headerless) {
                ended = true;
                header = new CsvHeader(names(options), null, separatorOf(options), DEFAULT_TERMINATOR, bom);
                return;
            }
            throw new FileRejectedException(sawLines
                    ? "the file has no header line (only blank or comment lines)"
                    : "the file is empty");
        }
        CsvTokenizer firstLine = tokenizer;
        byte sep = detect ? SeparatorDetector.choose(tokenizer) : (byte) options.separator().charValue();
        if (detect) {
            firstLine = SeparatorDetector.resplit(tokenizer, sep);
            tokenizer.separators(sep, sep);
        }
        byte[] terminator = tokenizer.terminator() == CsvTokenizer.Terminator.NONE
                ? DEFAULT_TERMINATOR : tokenizer.terminator().bytes();
        if (headerless) {
            header = new CsvHeader(names(options), null, (char) sep, terminator, bom);
            ahead = record(firstLine);
        } else {
            List<String> columns = HeaderColumns.of(headerCells(firstLine), firstLine.startLine());
            header = new CsvHeader(columns, tokenizer.copyBytes(), (char) sep, terminator, bom);
        }
    }

    private static List<String> names(CsvOptions options) {
        return options.fixedColumns().stream().map(CsvHeader::normalise).toList();
    }

    private static char separatorOf(CsvOptions options) {
        return options.separator() == null ? (char) SeparatorDetector.SEMICOLON : options.separator();
    }

    /** Strips a UTF-8 byte order mark, and rejects files whose BOM contradicts the charset. */
    private byte[] readBom(Charset charset) throws IOException {
        if (tokenizer.startsWith(UTF16LE_BOM) || tokenizer.startsWith(UTF16BE_BOM)) {
            throw new FileRejectedException("the file is UTF-16 (Excel \"Unicode text\"); save it as "
                    + "\"CSV UTF-8\" and set sync.encoding=UTF-8");
        }
        if (!tokenizer.startsWith(UTF8_BOM)) {
            return new byte[0];
        }
        if (!charset.equals(StandardCharsets.UTF_8)) {
            throw new FileRejectedException("the file starts with a UTF-8 byte order mark but sync.encoding="
                    + charset.name() + "; set sync.encoding=UTF-8");
        }
        tokenizer.skip(UTF8_BOM.length);
        return UTF8_BOM.clone();
    }

    private String[] headerCells(CsvTokenizer line) {
        long n = line.startLine();
        String encoding = decoder.check(line);
        if (encoding != null) {
            throw new FileRejectedException("header: " + encoding);
        }
        if (line.unclosedQuote()) {
            throw new FileRejectedException("header: quote opened on line " + line.unclosedQuoteLine()
                    + " is never closed");
        }
        for (int i = 0; i < line.length(); i++) {
            if (line.bytes()[i] == '\r' || line.bytes()[i] == '\n') {
                throw new FileRejectedException("the header (line " + n + ") has a line break inside quotes");
            }
        }
        if (line.junkAfterQuoteField() >= 0) {
            throw new FileRejectedException("column " + (line.junkAfterQuoteField() + 1) + " of the header (line "
                    + n + ") has text after its closing quote");
        }
        return decoder.values(line);
    }

    private boolean skippable() {
        return tokenizer.comment() || tokenizer.blank();
    }

    /** Builds the record the tokenizer is on; problems become the record's read error. */
    private CsvRecord record(CsvTokenizer t) {
        byte[] raw = t.copyBytes();
        long line = t.startLine();
        String encoding = decoder.check(t);
        if (encoding != null) {
            return new CsvRecord(header, FieldDecoder.noValues(), line, raw, encoding);
        }
        String[] values = decoder.values(t);
        String error = null;
        if (t.unclosedQuote()) {
            error = "quote opened on line " + t.unclosedQuoteLine() + " is never closed";
        } else if (t.junkAfterQuoteField() >= 0) {
            error = "line " + line + ": value " + (t.junkAfterQuoteField() + 1) + " has text after its closing quote";
        } else if (headerless && values.length < header.size()) {
            // a headerless feed's trailing columns are optional (courses.csv: identifier [; description])
        } else if (values.length != header.size()) {
            if (values.length > header.size() && emptyFrom(values, header.size())) {
                // Excel writes trailing separators when some other row is longer: harmless
                values = Arrays.copyOf(values, header.size());
            } else {
                error = "line " + line + " has " + values.length + (values.length == 1 ? " value" : " values")
                        + (headerless ? " but the feed expects " : " but the header has ")
                        + header.size() + (header.size() == 1 ? " column" : " columns");
            }
        }
        if (error == null) {
            error = controlCharacter(values, raw, line);
        }
        return new CsvRecord(header, values, line, raw, error);
    }

    /**
     * A value holding a control character (a NUL, an escape...) is refused with the line, naming
     * the column and the byte: trimming would silently drop a leading one, and Moodle's own
     * clean_param() would refuse or strip it. Tabs and line breaks inside quoted values are text.
     */
    private String controlCharacter(String[] values, byte[] raw, long line) {
        for (int v = 0; v < values.length; v++) {
            String value = values[v];
            for (int i = 0; value != null && i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                    int at = 0;
                    while (at < raw.length && raw[at] != (byte) c) {
                        at++;
                    }
                    String column = v < header.size() ? header.columns().get(v) : "value " + (v + 1);
                    return "line " + line + ", column " + column + ": control character " + String.format("0x%02X", (int) c)
                            + " at byte " + (at + 1) + " of the line; Moodle does not take control characters";
                }
            }
        }
        return null;
    }

    private static boolean emptyFrom(String[] values, int from) {
        for (int i = from; i < values.length; i++) {
            if (!values[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    public CsvHeader header() {
        return header;
    }

    /** Blank, comment and separator-only lines passed so far, including those before the header. */
    public long skippedLines() {
        return skipped;
    }

    @Override
    public boolean hasNext() {
        if (ahead == null && !ended) {
            ahead = readAhead();
            ended = ahead == null;
        }
        return ahead != null;
    }

    @Override
    public CsvRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CsvRecord r = ahead;
        ahead = null;
        return r;
    }

    private CsvRecord readAhead() {
        try {
            while (tokenizer.next()) {
                if (skippable()) {
                    skipped++;
                } else {
                    return record(tokenizer);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file: " + e.getMessage(), e);
        } catch (CsvTokenizer.RecordTooLongException e) {
            // over 2 GiB in one record: nothing after it can be trusted
            throw new FileRejectedException(e.getMessage(), e);
        }
    }

    /**
     * Consecutive chunks of at most {@code size} records, read lazily as the chunks are taken (the
     * Camel splitter streams them). The returned iterator is {@link Closeable} and closes this
     * reader, so a splitter that stops early still releases the file.
     */
    public Iterator<List<CsvRecord>> chunks(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1: " + size);
        }
        return new Chunks(size);
    }

    private final class Chunks implements Iterator<List<CsvRecord>>, Closeable {
        private final int size;

        Chunks(int size) {
            this.size = size;
        }

        @Override
        public boolean hasNext() {
            return CsvFeedReader.this.hasNext();
        }

        @Override
        public List<CsvRecord> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<CsvRecord> chunk = new ArrayList<>(Math.min(size, 4096));
            while (chunk.size() < size && CsvFeedReader.this.hasNext()) {
                chunk.add(CsvFeedReader.this.next());
            }
            return chunk;
        }

        @Override
        public void close() {
            CsvFeedReader.this.close();
        }
    }

    /** Closes the input stream. */
    @Override
    public void close() {
        ended = true;
        ahead = null;
        try {
            tokenizer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the file: " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        try {
            tokenizer.close();
        } catch (IOException | RuntimeException ignored) {
            // the rejection reason matters more than a failed close
        }
    }
}
