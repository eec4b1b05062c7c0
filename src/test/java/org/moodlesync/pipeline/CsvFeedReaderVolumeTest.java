package org.moodlesync.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A million generated lines, streamed: the input is produced on the fly and never held in
 * memory, so the heap only stays flat if the reader does not keep records either.
 */
class CsvFeedReaderVolumeTest {
    private static final int LINES = 1_000_000;

    /** "username;firstname;lastname;email" then LINES lines, produced as they are read. */
    static final class GeneratedFeed extends InputStream {
        private final int lines;
        private byte[] current = "username;firstname;lastname;email\n".getBytes(UTF_8);
        private int pos;
        private int produced;

        GeneratedFeed(int lines) {
            this.lines = lines;
        }

        private boolean advance() {
            if (pos < current.length) {
                return true;
            }
            if (produced == lines) {
                return false;
            }
            produced++;
            current = ("user" + produced + ";First" + produced + ";Last;user" + produced + "@example.org\n")
                    .getBytes(UTF_8);
            pos = 0;
            return true;
        }

        @Override
        public int read() {
            return advance() ? current[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len && advance()) {
                int k = Math.min(len - n, current.length - pos);
                System.arraycopy(current, pos, b, off + n, k);
                pos += k;
                n += k;
            }
            return n == 0 && len > 0 ? -1 : n;
        }
    }

    @Test
    void millionLinesInConstantMemory() {
        long usedBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        long count = 0;
        long maxUsed = 0;
        try (CsvFeedReader r = CsvFeedReader.open(new GeneratedFeed(LINES), new CsvOptions(UTF_8, null, null))) {
            Iterator<List<CsvRecord>> chunks = r.chunks(500);
            while (chunks.hasNext()) {
                for (CsvRecord rec : chunks.next()) {
                    count++;
                    if (rec.readError() != null) {
                        throw new AssertionError(rec.readError());
                    }
                    if (count == LINES) {
                        assertEquals("user" + LINES, rec.get("username"));
                        assertEquals(LINES + 1L, rec.line());
                    }
                }
                if (count % 200_000 == 0) {
                    maxUsed = Math.max(maxUsed, usedHeapAfterGc());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(LINES, count);
        System.out.printf("CsvFeedReader: %d lines in %.2f s = %.0f lines/s (heap growth while reading: %d KiB)%n",
                count, seconds, count / seconds, Math.max(0, maxUsed - usedBefore) / 1024);
        // Holding the records would take hundreds of MiB; a streaming reader stays within a few.
        assertTrue(maxUsed - usedBefore < 32L << 20, "heap grew by " + (maxUsed - usedBefore) / 1024 + " KiB");
    }

    @Test
    void rateOfSimpleLinesWithoutGcInterference() {
        // warm-up then measure the parser alone; printed, not asserted (CI machines vary)
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            long count = 0;
            try (CsvFeedReader r = CsvFeedReader.open(new GeneratedFeed(LINES), new CsvOptions(UTF_8, ';', null))) {
                while (r.hasNext()) {
                    assertNull(r.next().readError());
                    count++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("CsvFeedReader round %d: %.0f lines/s%n", round + 1, count / seconds);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
