package org.moodlesync.pipeline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Picks the separator of a file from its first line ({@code sync.separator=auto}).
 *
 * <p>The first line is tokenized with both ';' and ',' as separators, which counts each outside
 * quotes. The one found more often wins; ';' (tool_sync's default) on a tie or when there is
 * neither (a one-column file). The line is then split again with the winner alone, because a
 * quote right after the loser is an ordinary character, not an opening quote.
 */
final class SeparatorDetector {
    static final byte SEMICOLON = ';';
    static final byte COMMA = ',';

    private SeparatorDetector() {
    }

    /** The separator for a record tokenized with ';' first and ',' second. */
    static byte choose(CsvTokenizer firstLine) {
        return firstLine.secondSeparatorCount() > firstLine.firstSeparatorCount() ? COMMA : SEMICOLON;
    }

    /**
     * The current record of {@code firstLine}, split again with {@code separator} alone; same line
     * numbers. Rejects the file when the record does not read as one record any more: its quotes
     * only make sense with the other separator, and guessing would misread every line after it.
     */
    static CsvTokenizer resplit(CsvTokenizer firstLine, byte separator) {
        byte[] bytes = firstLine.copyBytes();
        CsvTokenizer again = new CsvTokenizer(new ByteArrayInputStream(bytes), separator, separator,
                firstLine.startLine(), Math.max(bytes.length, 16));
        try {
            boolean one = again.next() && again.terminator() == CsvTokenizer.Terminator.NONE;
            if (!one || again.length() != bytes.length) {
                throw new FileRejectedException("cannot tell the separator of line " + firstLine.startLine()
                        + ": its quotes read differently with ';' and ','; set sync.separator");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: reads from memory
        }
        return again;
    }
}
