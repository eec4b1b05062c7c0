package org.moodlesync.pipeline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes the report of one file: {@code <name>_report_<stamp>.csv} with every row and
 * {@code <name>_report_<stamp>.html} for people, at most {@value #HTML_ROWS} rows, failed first.
 *
 * <p>Rows are streamed to temporary files in the reports directory as they come, so memory does
 * not depend on the number of lines: one with the CSV rows, one with the HTML rows of failed
 * lines and one with the HTML rows of the other lines (each of these two stops at the cap). The
 * summary, known only at the end, goes on top when {@link #finish} assembles the final files.
 *
 * <p>One thread at a time (FeedRun synchronizes).
 */
public final class ReportWriter {
    static final int HTML_ROWS = 20_000;
    private static final String CSV_HEADER = "line,outcome,operation,key,message";

    private final Path reportsDir;
    private final String sourceName;
    private final String stamp;
    private final boolean dryRun;
    private final int htmlCap;
    private Temp csvRows;
    private Temp failedHtml;
    private Temp otherHtml;
    private long rows;
    private long failedShown;
    private long otherShown;
    private boolean finished;

    public ReportWriter(Path reportsDir, String sourceName, String stamp, boolean dryRun) {
        this(reportsDir, sourceName, stamp, dryRun, HTML_ROWS);
    }

    ReportWriter(Path reportsDir, String sourceName, String stamp, boolean dryRun, int htmlCap) {
        this.reportsDir = reportsDir;
        this.sourceName = sourceName;
        this.stamp = stamp;
        this.dryRun = dryRun;
        this.htmlCap = htmlCap;
    }

    /** A temporary file being written; deleted at finish. */
    private record Temp(Path path, Writer out) {
        static Temp create(Path dir, String prefix) throws IOException {
            Path p = ReportFiles.createTemp(dir, prefix);
            return new Temp(p, Files.newBufferedWriter(p, StandardCharsets.UTF_8));
        }

        void line(String s) throws IOException {
            out.write(s);
            out.write('\n');
        }
    }

    public void row(Outcome o) {
        if (finished) {
            throw new IllegalStateException("report of " + sourceName + " is finished");
        }
        try {
            openTemps();
            rows++;
            csvRows.line(lineOf(o) + "," + ReportText.csvCell(o.type().label()) + ","
                    + ReportText.csvCell(o.operation()) + "," + ReportText.csvCell(o.key()) + ","
                    + ReportText.csvCell(o.message()));
            if (o.type() == OutcomeType.FAILED) {
                if (failedShown < htmlCap) {
                    failedShown++;
                    failedHtml.line(HtmlReport.row(o));
                }
            } else if (otherShown < htmlCap) {
                otherShown++;
                otherHtml.line(HtmlReport.row(o));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + sourceName + ": " + e.getMessage(), e);
        }
    }

    static String lineOf(Outcome o) {
        return o.record() == null ? "" : Long.toString(o.line());
    }

    private void openTemps() throws IOException {
        if (csvRows == null) {
            String prefix = "." + ReportFiles.baseName(sourceName) + "_report_" + stamp + "_";
            csvRows = Temp.create(reportsDir, prefix);
            failedHtml = Temp.create(reportsDir, prefix);
            otherHtml = Temp.create(reportsDir, prefix);
        }
    }

    /** Writes the final files, with {@code summary.tryback()} as the tryback file (may be null). */
    public Path[] finish(RunSummary summary) throws IOException {
        return finish(summary, summary.tryback());
    }

    /**
     * Writes the final CSV and HTML files and deletes the temporary ones.
     *
     * @param tryback the tryback file of the run, or null; shown by name in the summary
     * @return {csv, html}
     */
    public Path[] finish(RunSummary summary, Path tryback) throws IOException {
        if (finished) {
            throw new IllegalStateException("report of " + sourceName + " is already finished");
        }
        finished = true;
        try {
            openTemps();
            for (Temp t : List.of(csvRows, failedHtml, otherHtml)) {
                t.out().close();
            }
            List<Path> files = ReportFiles.createNew(reportsDir,
                    ReportFiles.baseName(sourceName) + "_report_" + stamp, ".csv", ".html");
            List<SummaryFacts.Fact> facts = SummaryFacts.of(summary, tryback);
            writeCsv(files.get(0), summary, facts);
            try (Writer w = writer(files.get(1))) {
                HtmlReport.write(w, summary, facts, files.get(0).getFileName().toString(), rows,
                        failedHtml.path(), otherHtml.path(), htmlCap);
            }
            return new Path[] {files.get(0), files.get(1)};
        } finally {
            deleteTemps();
        }
    }

    private void writeCsv(Path file, RunSummary summary, List<SummaryFacts.Fact> facts) throws IOException {
        try (OutputStream os = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
            w.write("# moodle-sync report\n");
            for (SummaryFacts.Fact f : facts) {
                w.write("# " + f.label() + ": " + ReportText.commentText(f.value()) + "\n");
            }
            for (String note : summary.notes()) {
                w.write("# note: " + ReportText.commentText(note) + "\n");
            }
            w.write(CSV_HEADER + "\n");
            w.flush();
            Files.copy(csvRows.path(), os);
        }
    }

    private static Writer writer(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    }

    private void deleteTemps() {
        for (Temp t : new Temp[] {csvRows, failedHtml, otherHtml}) {
            if (t != null) {
                try {
                    t.out().close();
                    Files.deleteIfExists(t.path());
                } catch (IOException ignored) {
                    // best effort: a leftover hidden .tmp file must not hide the real outcome
                }
            }
        }
    }
}
