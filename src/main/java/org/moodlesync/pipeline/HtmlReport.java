package org.moodlesync.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The HTML report: one self-contained page (inline CSS, no script, no external resource) that an
 * operator can open from a mail attachment or a file share. All text is escaped.
 */
final class HtmlReport {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#222}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
            table{border-collapse:collapse;margin:.5em 0}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
            th{background:#f0f0f0}
            table.summary td:nth-child(2){text-align:right}
            table.rows td:first-child{text-align:right;font-variant-numeric:tabular-nums}
            tr.failed td{background:#fde2e2}tr.failed td:nth-child(2){color:#a00;font-weight:bold}
            .dryrun{background:#fff3cd;border:2px solid #e0a800;padding:.6em 1em;font-weight:bold;font-size:1.1em}
            .cap{font-style:italic}
            """;

    private HtmlReport() {
    }

    /** One table row on one line; the line structure lets the report copy a bounded number of rows. */
    static String row(Outcome o) {
        String cls = o.type() == OutcomeType.FAILED ? "failed" : o.type().label();
        return "<tr class=\"" + cls + "\"><td>" + ReportWriter.lineOf(o) + "</td><td>"
                + ReportText.html(o.type().label()) + "</td><td>" + ReportText.html(o.operation()) + "</td><td>"
                + ReportText.html(o.key()) + "</td><td>" + ReportText.html(o.message()) + "</td></tr>";
    }

    /**
     * Writes the page: summary, notes, then the failed rows and then the other rows from the
     * temporary files (one row per line), at most {@code cap} rows in all.
     */
    static void write(Writer w, RunSummary summary, List<SummaryFacts.Fact> facts, String csvName,
                      long totalRows, Path failedRows, Path otherRows, int cap) throws IOException {
        String title = summary.feed() + " \u2014 " + summary.source();
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>moodle-sync: "
                + ReportText.html(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n");
        w.write("<h1>moodle-sync report: " + ReportText.html(title) + "</h1>\n");
        if (summary.dryRun()) {
            w.write("<p class=\"dryrun\">" + ReportText.html(SummaryFacts.DRY_RUN) + "</p>\n");
        }
        w.write("<h2>Summary</h2>\n<table class=\"summary\">\n");
        for (SummaryFacts.Fact f : facts) {
            w.write("<tr><th>" + ReportText.html(f.label()) + "</th><td>" + ReportText.html(f.value()) + "</td></tr>\n");
        }
        w.write("</table>\n");
        if (!summary.notes().isEmpty()) {
            w.write("<h2>Notes</h2>\n<ul>\n");
            for (String note : summary.notes()) {
                w.write("<li>" + ReportText.html(note) + "</li>\n");
            }
            w.write("</ul>\n");
        }
        w.write("<h2>Lines</h2>\n");
        w.write("<table class=\"rows\">\n<thead><tr><th>line</th><th>outcome</th><th>operation</th><th>key</th>"
                + "<th>message</th></tr></thead>\n<tbody>\n");
        long shown = copyLines(failedRows, w, cap);
        shown += copyLines(otherRows, w, cap - shown);
        w.write("</tbody>\n</table>\n");
        if (shown < totalRows) {
            w.write("<p class=\"cap\">" + shown + " of " + totalRows + " rows shown, failed rows first; the CSV report has all "
                    + totalRows + " rows: " + ReportText.html(csvName) + "</p>\n");
        }
        w.write("</body>\n</html>\n");
    }

    private static long copyLines(Path from, Writer to, long max) throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(from, StandardCharsets.UTF_8)) {
            String line;
            while (n < max && (line = r.readLine()) != null) {
                to.write(line);
                to.write('\n');
                n++;
            }
        }
        return n;
    }
}
