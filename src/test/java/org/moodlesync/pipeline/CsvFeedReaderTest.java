package org.moodlesync.pipeline;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvFeedReaderTest {

    static CsvOptions utf8() {
        return new CsvOptions(UTF_8, null, null);
    }

    static CsvFeedReader open(byte[] bytes, CsvOptions options) {
        return CsvFeedReader.open(new ByteArrayInputStream(bytes), options);
    }

    static CsvFeedReader open(String text) {
        return open(text.getBytes(UTF_8), utf8());
    }

    static List<CsvRecord> all(CsvFeedReader reader) {
        List<CsvRecord> out = new ArrayList<>();
        reader.forEachRemaining(out::add);
        return out;
    }

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                out.writeBytes(((String) p).getBytes(ISO_8859_1));
            }
        }
        return out.toByteArray();
    }

    @Test
    void columnsInAnyOrderAndCase() {
        try (CsvFeedReader r = open(" Email ;USERNAME;FirstName\nj@x.org;jdoe;John\n")) {
            assertEquals(List.of("email", "username", "firstname"), r.header().columns());
            CsvRecord rec = r.next();
            assertEquals("jdoe", rec.get("username"));
            assertEquals("j@x.org", rec.get("email"));
            assertEquals("John", rec.get("firstname"));
            assertNull(rec.get("lastname"));
            assertEquals(2, rec.line());
            assertNull(rec.readError());
            assertFalse(r.hasNext());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "username;email|;",
            "username,email|,",
            "username|;",
            "a;b,c|;",
            "a,b,c;d|,",
            "\"x;y\",b,c|,",
    })
    void detectsSeparator(String headerLine, char expected) {
        try (CsvFeedReader r = open(headerLine + "\n")) {
            assertEquals(expected, r.header().separator());
        }
    }

    @Test
    void configuredSeparatorWins() {
        try (CsvFeedReader r = open("a,b;c\n1,2;3\n".getBytes(UTF_8), new CsvOptions(UTF_8, ',', null))) {
            assertEquals(List.of("a", "b;c"), r.header().columns());
            assertEquals("2;3", r.next().get("b;c"));
        }
    }

    @Test
    void quotedSeparatorLineBreakAndQuotes() {
        String text = "username,description,email\r\n"
                + "jdoe,\"a, b\",j@x\r\n"
                + "ann,\"first\r\nsecond\",a@x\r\n"
                + "bob,\"say \"\"hi\"\" \",b@x\r\n"
                + "carl, plain ,c@x\r\n";
        try (CsvFeedReader r = open(text)) {
            assertArrayEquals("\r\n".getBytes(UTF_8), r.header().lineTerminator());
            List<CsvRecord> recs = all(r);
            assertEquals(4, recs.size());
            assertEquals("a, b", recs.get(0).get("description"));
            assertEquals(2, recs.get(0).line());
            assertEquals("first\r\nsecond", recs.get(1).get("description"));
            assertEquals(3, recs.get(1).line());
            assertEquals("ann,\"first\r\nsecond\",a@x", new String(recs.get(1).raw(), UTF_8));
            assertEquals("say \"hi\" ", recs.get(2).get("description"));
            assertEquals(5, recs.get(2).line());
            assertEquals("plain", recs.get(3).get("description"));
            assertEquals(6, recs.get(3).line());
            recs.forEach(rec -> assertNull(rec.readError()));
        }
    }

    @Test
    void quoteInsideUnquotedValueIsOrdinary() {
        try (CsvFeedReader r = open("username;lastname\njdoe;O\"Brien\nann;Smith\n")) {
            List<CsvRecord> recs = all(r);
            assertEquals("O\"Brien", recs.get(0).get("lastname"));
            assertEquals("Smith", recs.get(1).get("lastname"));
            assertEquals(3, recs.get(1).line());
        }
    }

    @Test
    void blankSpacesAroundQuotedValueAreAllowed() {
        try (CsvFeedReader r = open("a;b\n  \"x;y\"  ;z\n")) {
            CsvRecord rec = r.next();
            assertNull(rec.readError());
            assertEquals("x;y", rec.get("a"));
        }
    }

    @Test
    void textAfterClosingQuoteIsAReadError() {
        try (CsvFeedReader r = open("a;b\n\"x\"y;z\nok;fine\n")) {
            CsvRecord rec = r.next();
            assertEquals("line 2: value 1 has text after its closing quote", rec.readError());
            assertNull(r.next().readError());
        }
    }

    @Test
    void utf8BomIsStrippedAndRemembered() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        try (CsvFeedReader r = open(bytes(bom, "username;email\njdoe;j@x\n"), utf8())) {
            assertEquals(List.of("username", "email"), r.header().columns());
            assertArrayEquals(bom, r.header().bom());
            assertArrayEquals("username;email".getBytes(UTF_8), r.header().rawLine());
            assertEquals("jdoe", r.next().get("username"));
        }
        try (CsvFeedReader r = open("username\njdoe\n")) {
            assertArrayEquals(new byte[0], r.header().bom());
        }
    }

    @Test
    void latin1FileReadAsLatin1() {
        byte[] latin1 = bytes("username;firstname\njdoe;Ren\u00e9\n");
        try (CsvFeedReader r = open(latin1, new CsvOptions(ISO_8859_1, null, null))) {
            CsvRecord rec = r.next();
            assertNull(rec.readError());
            assertEquals("Ren\u00e9", rec.get("firstname"));
            assertArrayEquals(bytes("jdoe;Ren\u00e9"), rec.raw());
        }
    }

    @Test
    void latin1BytesReadAsUtf8GiveAReadErrorPerRecord() {
        byte[] latin1 = bytes("username;firstname\njdoe;Ren\u00e9\nann;Ann\nbob;Cl\u00e9o\u00e9\n");
        try (CsvFeedReader r = open(latin1, utf8())) {
            List<CsvRecord> recs = all(r);
            assertEquals(3, recs.size());
            assertEquals("line 2 is not valid UTF-8 (byte 0xE9 at column 9); if the file is Latin-1, "
                    + "set sync.encoding=ISO-8859-1", recs.get(0).readError());
            assertEquals(0, recs.get(0).valueCount());
            assertArrayEquals(bytes("jdoe;Ren\u00e9"), recs.get(0).raw());
            assertNull(recs.get(1).readError());
            assertTrue(recs.get(2).readError().startsWith("line 4 is not valid UTF-8 (byte 0xE9 at column 7)"));
        }
    }

    @Test
    void utf8ErrorColumnCountsCharactersAndFollowsQuotedLineBreaks() {
        byte[] text = bytes("a;b\n", "x;\"\u00c3\u00a9t\u00c3\u00a9\n\u00c3\u00a9 \u00e9\"\n");
        try (CsvFeedReader r = open(text, utf8())) {
            assertTrue(r.next().readError().startsWith("line 3 is not valid UTF-8 (byte 0xE9 at column 3)"));
        }
    }

    @Test
    void invalidUtf8InHeaderRejectsTheFile() {
        FileRejectedException e = assertThrows(FileRejectedException.class,
                () -> open(bytes("username;pr\u00e9nom\njdoe;x\n"), utf8()));
        assertEquals("header: line 1 is not valid UTF-8 (byte 0xE9 at column 12); if the file is Latin-1, "
                + "set sync.encoding=ISO-8859-1", e.getMessage());
    }

    @Test
    void bomContradictingTheEncodingRejectsTheFile() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        FileRejectedException e = assertThrows(FileRejectedException.class,
                () -> open(bytes(bom, "a\n"), new CsvOptions(ISO_8859_1, null, null)));
        assertTrue(e.getMessage().contains("set sync.encoding=UTF-8"), e.getMessage());
        e = assertThrows(FileRejectedException.class, () -> open(bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a\0\n\0"), utf8()));
        assertTrue(e.getMessage().contains("UTF-16"), e.getMessage());
    }

    @Test
    void blankCommentAndSeparatorOnlyLinesAreSkippedButNotDataLikeLines() {
        String text = "# exported 2026-11-22\n"
                + "\n"
                + "username;firstname\n"        // line 3
                + "   \n"
                + ";;\n"
                + " ; ;\t\n"
                + "#jdoe;commented out\n"
                + "#\"never closed;\n"
                + " ann;Ann\n"                    // line 9
                + "-bob;Bob\n"
                + "/carl;Carl\n"
                + "(dan;Dan\n"
                + "[eve;Eve\n"
                + "\"\";\n"                       // quoted empty: data, not blank
                + "\n";
        try (CsvFeedReader r = open(text)) {
            List<CsvRecord> recs = all(r);
            assertEquals(List.of("ann", "-bob", "/carl", "(dan", "[eve", ""),
                    recs.stream().map(c -> c.get("username")).toList());
            assertEquals(9, recs.get(0).line());
            assertEquals(14, recs.get(5).line());
            assertEquals(8, r.skippedLines());
        }
    }

    @Test
    void valueCountMismatchIsAReadErrorWithTheValuesKept() {
        try (CsvFeedReader r = open("a;b;c\n1;2\n1;2;3;4\n1;2;3\n")) {
            CsvRecord fewer = r.next();
            assertEquals("line 2 has 2 values but the header has 3 columns", fewer.readError());
            assertEquals(2, fewer.valueCount());
            assertEquals("2", fewer.get("b"));
            assertEquals("line 3 has 4 values but the header has 3 columns", r.next().readError());
            assertNull(r.next().readError());
        }
    }

    @Test
    void trailingEmptyExtraValuesAreDropped() {
        try (CsvFeedReader r = open("a;b;c\n1;2;3;;\n1;2;3; ;\"\"\n1;2;3;;x\n")) {
            CsvRecord rec = r.next();
            assertNull(rec.readError());
            assertEquals(3, rec.valueCount());
            assertNull(r.next().readError());
            assertEquals("line 4 has 5 values but the header has 3 columns", r.next().readError());
        }
    }

    @Test
    void unterminatedQuoteIsAReadError() {
        try (CsvFeedReader r = open("a;b\nok;1\nx;\"open\ny;2\nz;3\n")) {
            assertNull(r.next().readError());
            CsvRecord rec = r.next();
            assertEquals("quote opened on line 3 is never closed", rec.readError());
            assertEquals(3, rec.line());
            assertArrayEquals("x;\"open\ny;2\nz;3\n".getBytes(UTF_8), rec.raw());
            assertFalse(r.hasNext());
        }
    }

    @Test
    void emptyFileIsRejected() {
        assertEquals("the file is empty",
                assertThrows(FileRejectedException.class, () -> open("")).getMessage());
        assertEquals("the file has no header line (only blank or comment lines)",
                assertThrows(FileRejectedException.class, () -> open("\n# nothing\n  \n")).getMessage());
    }

    @Test
    void badHeaderNamesAreRejected() {
        assertEquals("column \"username\" appears twice in the header (line 1): columns 1 and 3",
                assertThrows(FileRejectedException.class, () -> open("username;email;UserName\n")).getMessage());
        assertEquals("column 2 of the header (line 2) is empty",
                assertThrows(FileRejectedException.class, () -> open("\nusername; ;email\n")).getMessage());
    }

    @Test
    void headerWithQuoteNeverClosedIsRejectedWithoutReadingTheWholeFile() {
        byte[] file = ("\"username;email\n" + "jdoe;j@x\n".repeat(300_000)).getBytes(UTF_8);
        assertEquals("header: the record starting on line 1 is longer than 1048576 bytes; is a quote never closed?",
                assertThrows(FileRejectedException.class, () -> open(file, utf8())).getMessage());
    }

    @Test
    void rejectionClosesTheStream() {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream("a;a\n".getBytes(UTF_8))) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        assertThrows(FileRejectedException.class, () -> CsvFeedReader.open(in, utf8()));
        assertTrue(closed[0]);
    }

    @Test
    void crOnlyLineEndings() {
        try (CsvFeedReader r = open("username;note\rjdoe;\"two\rlines\"\r\rann;x")) {
            assertArrayEquals(new byte[] {'\r'}, r.header().lineTerminator());
            List<CsvRecord> recs = all(r);
            assertEquals(2, recs.size());
            assertEquals("two\rlines", recs.get(0).get("note"));
            assertEquals(2, recs.get(0).line());
            assertEquals(5, recs.get(1).line());
            assertEquals("x", recs.get(1).get("note"));
            assertEquals(1, r.skippedLines());
        }
    }

    @Test
    void mixedLineEndingsAndSingleLineFile() {
        try (CsvFeedReader r = open("a;b\r\n1;2\n3;4\r5;6")) {
            assertEquals(List.of(2L, 3L, 4L), all(r).stream().map(CsvRecord::line).toList());
        }
        try (CsvFeedReader r = open("a;b")) {
            assertArrayEquals(new byte[] {'\n'}, r.header().lineTerminator());
            assertFalse(r.hasNext());
        }
    }

    /** A stream handing out one byte per read puts every byte on a buffer boundary (CRLF split too). */
    @Test
    void worksWhenTheStreamDeliversOneByteAtATime() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = bytes(bom, "a;b\r\n1;\"x\r\ny\"\r\n\r\n2;\"\"\"\"\r\n");
        InputStream slow = new FilterInputStream(new ByteArrayInputStream(text)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        try (CsvFeedReader r = CsvFeedReader.open(slow, utf8())) {
            assertArrayEquals(bom, r.header().bom());
            assertArrayEquals("\r\n".getBytes(UTF_8), r.header().lineTerminator());
            List<CsvRecord> recs = all(r);
            assertEquals("x\r\ny", recs.get(0).get("b"));
            assertEquals("\"", recs.get(1).get("b"));
            assertEquals(5, recs.get(1).line());
        }
    }

    @Test
    void headerlessFeed() {
        CsvOptions options = new CsvOptions(UTF_8, null, List.of("ShortName"));
        try (CsvFeedReader r = open("# courses to delete\nMATH101\n\nPHYS-2\n".getBytes(UTF_8), options)) {
            assertNull(r.header().rawLine());
            assertEquals(List.of("shortname"), r.header().columns());
            assertEquals(';', r.header().separator());
            List<CsvRecord> recs = all(r);
            assertEquals(List.of("MATH101", "PHYS-2"), recs.stream().map(c -> c.get("shortname")).toList());
            assertEquals(List.of(2L, 4L), recs.stream().map(CsvRecord::line).toList());
        }
        CsvOptions two = new CsvOptions(UTF_8, null, List.of("course", "user"));
        try (CsvFeedReader r = open("M1,jdoe\nM2,ann,extra\n".getBytes(UTF_8), two)) {
            assertEquals(',', r.header().separator());
            assertEquals("jdoe", r.next().get("user"));
            assertEquals("line 2 has 3 values but the feed expects 2 columns", r.next().readError());
        }
        try (CsvFeedReader r = open(new byte[0], options)) {
            assertFalse(r.hasNext());
        }
    }

    @Test
    void chunksAreConsecutiveAndLazy() {
        StringBuilder sb = new StringBuilder("n\n");
        for (int i = 1; i <= 7; i++) {
            sb.append(i).append('\n');
        }
        try (CsvFeedReader r = open(sb.toString())) {
            Iterator<List<CsvRecord>> chunks = r.chunks(3);
            List<CsvRecord> first = chunks.next();
            assertEquals(List.of("1", "2", "3"), first.stream().map(c -> c.get("n")).toList());
            assertTrue(r.hasNext(), "the rest is still unread");
            assertEquals("4", r.next().get("n"), "chunks read from the reader, nothing buffered ahead");
            assertEquals(List.of("5", "6", "7"), chunks.next().stream().map(c -> c.get("n")).toList());
            assertFalse(chunks.hasNext());
        }
    }

    @Test
    void closingTheChunksClosesTheInput() throws IOException {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream("n\n1\n2\n".getBytes(UTF_8))) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        CsvFeedReader r = CsvFeedReader.open(in, utf8());
        Iterator<List<CsvRecord>> chunks = r.chunks(1);
        chunks.next();
        ((java.io.Closeable) chunks).close();
        assertTrue(closed[0]);
    }

    static Charset iso() {
        return ISO_8859_1;
    }
}
