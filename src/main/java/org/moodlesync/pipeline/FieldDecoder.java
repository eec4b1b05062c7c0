package org.moodlesync.pipeline;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the field ranges of the tokenizer's current record into strings in the feed's charset.
 *
 * <p>A record is checked as a whole before any field is decoded, with a decoder that reports
 * malformed input instead of replacing it: a Latin-1 file read as UTF-8 must fail loudly on the
 * lines with accents (and tell the operator what to change) rather than put U+FFFD into Moodle.
 * Pure-ASCII records, the vast majority, skip the check.
 */
final class FieldDecoder {
    private static final String[] NO_VALUES = new String[0];

    private final Charset charset;
    private final CharsetDecoder decoder;
    /** False for ISO-8859-1, where every byte is a character. */
    private final boolean needsCheck;
    private CharBuffer scratch = CharBuffer.allocate(1024);

    FieldDecoder(Charset charset) {
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.needsCheck = !charset.equals(StandardCharsets.ISO_8859_1);
    }

    /**
     * Null when the record is valid in the charset, else what is wrong, e.g. "line 12 is not valid
     * UTF-8 (byte 0xE9 at column 7); if the file is Latin-1, set sync.encoding=ISO-8859-1".
     */
    String check(CsvTokenizer t) {
        if (!needsCheck || !t.nonAscii()) {
            return null;
        }
        int bad = firstBadByte(t.bytes(), t.length());
        return bad < 0 ? null : describe(t, bad);
    }

    /** The values of the current record; call only when {@link #check} found nothing. */
    String[] values(CsvTokenizer t) {
        int n = t.fieldCount();
        if (n == 0) {
            return NO_VALUES;
        }
        byte[] bytes = t.bytes();
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            int start = t.fieldStart(i);
            int end = t.fieldEnd(i);
            if (t.fieldQuoted(i)) {
                // quoted content is taken as is: the quotes are how a value keeps its blanks
                String v = new String(bytes, start, end - start, charset);
                values[i] = t.fieldEscaped(i) ? v.replace("\"\"", "\"") : v;
            } else {
                // trim spaces and tabs on bytes: cheaper, and blanks are ASCII in our charsets. Other
                // control bytes stay, so that the reader refuses the line instead of dropping them unseen
                while (start < end && isSpace(bytes[start])) {
                    start++;
                }
                while (end > start && isSpace(bytes[end - 1])) {
                    end--;
                }
                values[i] = start == end ? "" : new String(bytes, start, end - start, charset);
            }
        }
        return values;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    static String[] noValues() {
        return NO_VALUES;
    }

    /** Offset of the first byte the decoder rejects, or -1. */
    private int firstBadByte(byte[] bytes, int length) {
        int needed = (int) Math.ceil(length * (double) decoder.maxCharsPerByte()) + 1;
        if (scratch.capacity() < needed) {
            scratch = CharBuffer.allocate(needed);
        }
        scratch.clear();
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CoderResult r = decoder.decode(in, scratch, true);
        if (!r.isError()) {
            r = decoder.flush(scratch);
        }
        return r.isError() ? Math.min(in.position(), length - 1) : -1;
    }

    private String describe(CsvTokenizer t, int bad) {
        byte[] bytes = t.bytes();
        // The record may span lines (quoted line breaks): point at the physical line of the byte.
        long line = t.startLine();
        int lineStart = 0;
        for (int i = 0; i < bad; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bad || bytes[i + 1] != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        // Everything before the bad byte decoded fine, so its characters can be counted.
        long column = 1;
        try {
            column += charset.newDecoder().decode(ByteBuffer.wrap(bytes, lineStart, bad - lineStart))
                    .codePoints().count();
        } catch (CharacterCodingException e) {
            column = bad - lineStart + 1L;
        }
        String message = String.format("line %d is not valid %s (byte 0x%02X at column %d)", line,
                charset.name(), bytes[bad] & 0xFF, column);
        if (charset.equals(StandardCharsets.UTF_8)) {
            message += "; if the file is Latin-1, set sync.encoding=ISO-8859-1";
        }
        return message;
    }
}
