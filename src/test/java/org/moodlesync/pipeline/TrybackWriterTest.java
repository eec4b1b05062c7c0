package org.moodlesync.pipeline;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrybackWriterTest {
    private static final String STAMP = "20261122-101500";

    @TempDir
    Path dir;

    /** Reads the file, sends the records at the given positions to a tryback, returns its path. */
    private Path tryback(byte[] file, CsvOptions options, String source, int... failed) throws IOException {
        try (CsvFeedReader r = CsvFeedReader.open(new ByteArrayInputStream(file), options)) {
            TrybackWriter w = new TrybackWriter(dir, source, STAMP, r.header());
            List<CsvRecord> recs = CsvFeedReaderTest.all(r);
            for (int i : failed) {
                w.add(recs.get(i));
            }
            return w.close();
        }
    }

    private static List<CsvRecord> read(Path file, CsvOptions options) throws IOException {
        try (CsvFeedReader r = CsvFeedReader.open(Files.newInputStream(file), options)) {
            return CsvFeedReaderTest.all(r);
        }
    }

    @Test
    void latin1AndCrlfByteForByte() throws IOException {
        CsvOptions iso = new CsvOptions(ISO_8859_1, null, null);
        byte[] file = CsvFeedReaderTest.bytes("username;firstname\r\n", "jdoe;Ren\u00e9\r\n", "ann;Ann\r\n",
                "# comment\r\n", "bob;\"Chlo\u00e9\r\nline\"\r\n", "carl;Carl");
        Path t = tryback(file, iso, "userimport.csv", 0, 2, 3);
        assertEquals("userimport_tryback_" + STAMP + ".csv", t.getFileName().toString());
        assertArrayEquals(CsvFeedReaderTest.bytes("username;firstname\r\n", "jdoe;Ren\u00e9\r\n",
                "bob;\"Chlo\u00e9\r\nline\"\r\n", "carl;Carl\r\n"), Files.readAllBytes(t));

        List<CsvRecord> again = read(t, iso);
        assertEquals(List.of("Ren\u00e9", "Chlo\u00e9\r\nline", "Carl"),
                again.stream().map(r -> r.get("firstname")).toList());
        assertEquals(List.of(2L, 3L, 5L), again.stream().map(CsvRecord::line).toList());
    }

    @Test
    void utf8BomAndBadRecordsAreRepeatedAsIs() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        // a valid record, a Latin-1 record in a UTF-8 file, a record with too many values
        byte[] file = CsvFeedReaderTest.bytes(bom, "Username,Email\n", "ren\u00c3\u00a9,r@x\n", "bad\u00e9,b@x\n",
                "x,y,z\n");
        Path t = tryback(file, CsvFeedReaderTest.utf8(), "users.csv", 0, 1, 2);
        assertArrayEquals(file, Files.readAllBytes(t));
        List<CsvRecord> again = read(t, CsvFeedReaderTest.utf8());
        assertEquals("ren\u00e9", again.get(0).get("username"));
        assertEquals("line 3 is not valid UTF-8 (byte 0xE9 at column 4); if the file is Latin-1, "
                + "set sync.encoding=ISO-8859-1", again.get(1).readError());
        assertEquals("line 4 has 3 values but the header has 2 columns", again.get(2).readError());
    }

    @Test
    void headerlessTrybackHasNoHeaderLine() throws IOException {
        CsvOptions options = new CsvOptions(UTF_8, null, List.of("shortname"));
        Path t = tryback("A\nB\nC\n".getBytes(UTF_8), options, "coursedelete", 1);
        assertEquals("coursedelete_tryback_" + STAMP, t.getFileName().toString());
        assertEquals("B\n", Files.readString(t));
    }

    @Test
    void nothingFailedNoFile() throws IOException {
        assertNull(tryback("a\n1\n".getBytes(UTF_8), CsvFeedReaderTest.utf8(), "x.csv"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void neverOverwrites() throws IOException {
        Files.writeString(dir.resolve("userimport_tryback_" + STAMP + ".csv"), "keep");
        Files.writeString(dir.resolve("userimport_tryback_" + STAMP + "-2.csv"), "keep too");
        Path t = tryback("a\n1\n".getBytes(UTF_8), CsvFeedReaderTest.utf8(), "userimport.csv", 0);
        assertEquals("userimport_tryback_" + STAMP + "-3.csv", t.getFileName().toString());
        assertEquals("keep", Files.readString(dir.resolve("userimport_tryback_" + STAMP + ".csv")));
    }

    @Test
    void ownerOnlyAndReportsDirCreated() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path reports = dir.resolve("reports/nested");
        CsvHeader h = new CsvHeader(List.of("a"), "a".getBytes(UTF_8), ';', "\n".getBytes(UTF_8), new byte[0]);
        TrybackWriter w = new TrybackWriter(reports, "../../escape/u.csv", STAMP, h);
        w.add(new CsvRecord(h, new String[] {"1"}, 2, "1".getBytes(UTF_8), null));
        Path t = w.close();
        assertEquals(reports.resolve("u_tryback_" + STAMP + ".csv"), t, "directories in the source name are ignored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(t)));
    }

    @Test
    void closeIsIdempotent() throws IOException {
        CsvHeader h = new CsvHeader(List.of("a"), "a".getBytes(UTF_8), ';', "\n".getBytes(UTF_8), new byte[0]);
        TrybackWriter w = new TrybackWriter(dir, "f.csv", STAMP, h);
        w.add(new CsvRecord(h, new String[] {"1"}, 2, "1".getBytes(UTF_8), null));
        Path p = w.close();
        assertEquals(p, w.close());
        assertFalse(Files.readString(p).isEmpty());
    }
}
