package org.moodlesync.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final String STAMP = "20261122-101500";
    private static final CsvHeader HEADER = new CsvHeader(List.of("username"), "username".getBytes(UTF_8), ';',
            "\n".getBytes(UTF_8), new byte[0]);

    @TempDir
    Path dir;

    private static CsvRecord rec(long line) {
        return new CsvRecord(HEADER, new String[] {"u" + line}, line, ("u" + line).getBytes(UTF_8), null);
    }

    private static RunSummary summary(boolean dryRun, Map<OutcomeType, Long> counts, List<String> notes) {
        Map<OutcomeType, Long> all = RunSummary.emptyCounts();
        all.putAll(counts);
        return new RunSummary("users", "userimport.csv", dryRun, Instant.parse("2026-11-22T10:15:00Z"),
                Duration.ofMillis(2500), all, notes, null, null, null);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void csvReportHasSummaryCommentsHeaderAndQuotedRows() throws IOException {
        ReportWriter w = new ReportWriter(dir, "userimport.csv", STAMP, false);
        w.row(new Outcome(rec(2), "jdoe", "create", OutcomeType.CREATED, "created"));
        w.row(Outcome.failed(rec(3), "ann, the \"first\"", "update", "email is not valid:\nann@"));
        w.row(new Outcome(rec(4), "=HYPERLINK(\"x\")", "update", OutcomeType.UNCHANGED, null));
        Path tryback = dir.resolve("userimport_tryback_" + STAMP + ".csv");
        Path[] out = w.finish(summary(false, Map.of(OutcomeType.CREATED, 1L, OutcomeType.FAILED, 1L,
                OutcomeType.UNCHANGED, 1L), List.of("column \"foo\" ignored\nsecond line")), tryback);

        assertEquals("userimport_report_" + STAMP + ".csv", out[0].getFileName().toString());
        assertEquals("userimport_report_" + STAMP + ".html", out[1].getFileName().toString());
        String csv = Files.readString(out[0], UTF_8);
        assertTrue(csv.startsWith("# moodle-sync report\n# feed: users\n# source: userimport.csv\n# started: "), csv);
        assertFalse(csv.contains("DRY RUN"));
        assertTrue(csv.contains("\n# elapsed seconds: 2.5\n"), csv);
        assertTrue(csv.contains("\n# lines/s: 1\n"), csv);
        assertTrue(csv.contains("\n# created: 1\n# updated: 0\n# unchanged: 1\n"), csv);
        assertTrue(csv.contains("\n# failed: 1\n"), csv);
        assertTrue(csv.contains("\n# tryback: userimport_tryback_" + STAMP + ".csv\n"), csv);
        assertTrue(csv.contains("\n# note: column \"foo\" ignored second line\n"), csv);
        assertTrue(csv.endsWith("line,outcome,operation,key,message\n"
                + "2,created,create,jdoe,created\n"
                + "3,failed,update,\"ann, the \"\"first\"\"\",\"email is not valid:\nann@\"\n"
                + "4,unchanged,update,\"'=HYPERLINK(\"\"x\"\")\",\n"), csv);

        // the CSV report reads back with the project's own reader, comments skipped
        try (CsvFeedReader r = CsvFeedReader.open(new ByteArrayInputStream(csv.getBytes(UTF_8)),
                new CsvOptions(UTF_8, null, null))) {
            List<CsvRecord> rows = CsvFeedReaderTest.all(r);
            assertEquals(3, rows.size());
            assertEquals("email is not valid:\nann@", rows.get(1).get("message"));
        }
        assertEquals(List.of(out[0], out[1]), files(), "temporary files are gone");
    }

    @Test
    void htmlReportIsEscapedHighlightsFailuresAndMarksDryRun() throws IOException {
        ReportWriter w = new ReportWriter(dir, "userimport.csv", STAMP, true);
        w.row(new Outcome(rec(2), "jdoe", "create", OutcomeType.CREATED, "ok"));
        w.row(Outcome.failed(rec(3), "<script>alert('x')</script>", "update", "bad & worse\nline two"));
        Path[] out = w.finish(summary(true, Map.of(OutcomeType.CREATED, 1L, OutcomeType.FAILED, 1L),
                List.of("a <b> note")), null);

        String html = Files.readString(out[1], UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>moodle-sync: users \u2014 userimport.csv</title>"));
        assertTrue(html.contains("<p class=\"dryrun\">DRY RUN: nothing was changed in Moodle</p>"));
        assertTrue(html.contains("<li>a &lt;b&gt; note</li>"));
        assertTrue(html.contains("<tr class=\"failed\"><td>3</td><td>failed</td><td>update</td>"
                + "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td><td>bad &amp; worse<br>line two</td></tr>"), html);
        assertFalse(html.contains("<script>"));
        assertFalse(html.contains("tryback"));
        assertTrue(html.indexOf("<tr class=\"failed\"><td>3</td>") < html.indexOf("<tr class=\"created\"><td>2</td>"),
                "failed rows first");
        assertTrue(html.contains("<tr><th>failed</th><td>1</td></tr>"));
        assertFalse(html.contains("class=\"cap\""), "all rows shown");
        assertTrue(Files.readString(out[0]).contains("\n# mode: DRY RUN: nothing was changed in Moodle\n"));
    }

    @Test
    void htmlIsCappedWithFailedRowsFirst() throws IOException {
        ReportWriter w = new ReportWriter(dir, "big.csv", STAMP, false, 5);
        for (int line = 2; line < 102; line++) {
            w.row(line % 10 == 0
                    ? Outcome.failed(rec(line), "u" + line, "update", "no")
                    : new Outcome(rec(line), "u" + line, "update", OutcomeType.UPDATED, ""));
        }
        Path[] out = w.finish(summary(false, Map.of(OutcomeType.UPDATED, 90L, OutcomeType.FAILED, 10L), List.of()));
        String html = Files.readString(out[1], UTF_8);
        List<String> rows = html.lines().filter(l -> l.startsWith("<tr class=")).toList();
        assertEquals(5, rows.size());
        rows.forEach(r -> assertTrue(r.startsWith("<tr class=\"failed\"><td>"), r));
        assertTrue(rows.get(0).startsWith("<tr class=\"failed\"><td>10</td>"));
        assertTrue(html.contains("5 of 100 rows shown, failed rows first; the CSV report has all 100 rows: big_report_"
                + STAMP + ".csv"), html);
        assertEquals(101, Files.readString(out[0]).lines().filter(l -> !l.startsWith("#")).count());
    }

    @Test
    void neverOverwritesAndOwnerOnly() throws IOException {
        Files.writeString(dir.resolve("userimport_report_" + STAMP + ".html"), "keep");
        ReportWriter w = new ReportWriter(dir, "userimport.csv", STAMP, false);
        Path[] out = w.finish(summary(false, Map.of(), List.of()));
        assertEquals("userimport_report_" + STAMP + "-2.csv", out[0].getFileName().toString());
        assertEquals("userimport_report_" + STAMP + "-2.html", out[1].getFileName().toString());
        assertEquals("keep", Files.readString(dir.resolve("userimport_report_" + STAMP + ".html")));
        assertEquals(3, files().size(), "the pair moved to -2 together; no temporary file left");
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        for (Path p : out) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
    }

    @Test
    void feedRunWiresTrybackIntoTheReport() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC);
        FeedRun run = new FeedRun("users", "userimport.csv", false, dir, UTF_8, clock);
        run.start(HEADER);
        run.record(new Outcome(rec(2), "u2", "create", OutcomeType.CREATED, ""));
        run.record(Outcome.failed(rec(3), "u3", "create", "no"));
        RunSummary s = run.finish();
        assertNotNull(s.tryback());
        assertEquals("username\nu3\n", Files.readString(s.tryback()));
        assertTrue(Files.readString(s.reportCsv()).contains("# tryback: " + s.tryback().getFileName() + "\n"));
        assertTrue(Files.readString(s.reportHtml()).contains(s.tryback().getFileName().toString()));
    }
}
