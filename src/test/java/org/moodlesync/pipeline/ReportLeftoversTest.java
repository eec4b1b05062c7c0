package org.moodlesync.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash leaves in the reports folder, two runs in one second, and control characters in reports. */
class ReportLeftoversTest {
    private static final CsvHeader HEADER = new CsvHeader(List.of("username"), "username".getBytes(UTF_8), ';', "\n".getBytes(UTF_8), new byte[0]);
    private static final Clock SAME_SECOND = Clock.fixed(Instant.parse("2026-12-07T10:15:00Z"), ZoneId.of("UTC"));

    @TempDir
    Path dir;

    private static CsvRecord rec(long line, String value) {
        return new CsvRecord(HEADER, new String[] {value}, line, value.getBytes(UTF_8), null);
    }

    @Test
    void aKilledRunsTemporaryFilesAreRemovedByTheNextRunOfTheFileOrAtStartAfterADay() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Path old = Files.writeString(reports.resolve(".userimport_report_20261201-020000_123.tmp"), "half a report");
        Path oldMarker = Files.writeString(reports.resolve(".userimport_20261201-020000.run"), "");
        Path otherFile = Files.writeString(reports.resolve(".enrols_report_20261201-020000_9.tmp"), "");
        Path fresh = Files.writeString(reports.resolve(".userimport_report_20261207-101000_7.tmp"), "a live run's");
        for (Path p : List.of(old, oldMarker, otherFile)) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        }
        FeedRun next = new FeedRun("users", "userimport.csv", false, reports, UTF_8, Clock.systemUTC());
        assertFalse(Files.exists(old), "the next run of the same file finishes the job");
        assertFalse(Files.exists(oldMarker));
        assertTrue(Files.exists(fresh), "a run still writing keeps its files");
        assertTrue(Files.exists(otherFile), "another file's leftovers are its own runs' business");
        next.start(HEADER);
        next.finish();
        assertEquals(1, ReportFiles.removeLeftovers(reports, null, Duration.ofDays(1)), "run's start: whatever is older than a day");
        assertFalse(Files.exists(otherFile));
    }

    @Test
    void twoRunsOfOneFileInTheSameSecondEachPairTheirReportWithTheirTryback() throws Exception {
        FeedRun first = new FeedRun("users", "userimport.csv", false, dir, UTF_8, SAME_SECOND);
        FeedRun second = new FeedRun("users", "userimport.csv", false, dir, UTF_8, SAME_SECOND);
        assertNotEquals(first.stamp(), second.stamp());
        // the second one fails a line first, so its tryback is made before the first run's
        second.start(HEADER);
        first.start(HEADER);
        second.record(Outcome.failed(rec(2, "bad"), "bad", "create", "no"));
        first.record(Outcome.failed(rec(2, "worse"), "worse", "create", "no"));
        for (RunSummary s : List.of(second.finish(), first.finish())) {
            String report = s.reportCsv().getFileName().toString();
            String tryback = s.tryback().getFileName().toString();
            assertEquals(report.replace("_report_", "_tryback_"), tryback, "a report and its tryback share their stamp");
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".run")), "the stamp markers are released");
        }
    }

    @Test
    void foldersAreOwnerOnlyAndControlCharactersAreShown() throws Exception {
        Path reports = ReportFiles.createPrivateDirectories(dir.resolve("a/reports"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(reports)));
        Path copy = ReportFiles.copyOwnerOnly(Files.writeString(dir.resolve("in.csv"), "x"), reports.resolve("copy.csv"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        assertEquals("a\\x00b\\x1B[31m", ReportText.csvCell("a\u0000b\u001b[31m"));
        assertEquals("&lt;\\x00&gt;", ReportText.html("<\u0000>"));
        assertEquals("tab\tstays", ReportText.visible("tab\tstays"));
    }
}
