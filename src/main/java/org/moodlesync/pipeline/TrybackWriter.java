package org.moodlesync.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the failed records of a file to {@code <name>_tryback_<stamp>.<ext>}, so the operator can
 * fix and feed back exactly the lines that failed.
 *
 * <p>The file repeats the input byte for byte: its byte order mark, its header line, each failed
 * record's raw bytes (quoted line breaks included), all in the input's encoding and with the
 * header's line terminator. Nothing is decoded or re-quoted, so the tryback reads back as the
 * same records.
 *
 * <p>The file is only created when the first record fails: a clean run leaves no tryback behind.
 * One thread at a time (FeedRun synchronizes).
 */
public final class TrybackWriter implements Tryback {
    private static final int BUFFER = 1 << 16;

    private final Path reportsDir;
    private final String sourceName;
    private final String stamp;
    private final CsvHeader header;
    private OutputStream out;
    private Path path;
    private boolean closed;

    public TrybackWriter(Path reportsDir, String sourceName, String stamp, CsvHeader header) {
        this.reportsDir = reportsDir;
        this.sourceName = sourceName;
        this.stamp = stamp;
        this.header = header;
    }

    /** Appends a failed record; creates the file (with BOM and header line) on the first call. */
    @Override
    public void add(CsvRecord failed) {
        if (closed) {
            throw new IllegalStateException("tryback of " + sourceName + " is closed");
        }
        try {
            if (out == null) {
                create();
            }
            out.write(failed.raw());
            out.write(header.lineTerminator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tryback file of " + sourceName + ": " + e.getMessage(), e);
        }
    }

    private void create() throws IOException {
        String stem = ReportFiles.baseName(sourceName) + "_tryback_" + stamp;
        Path file = ReportFiles.createNew(reportsDir, stem, ReportFiles.extension(sourceName)).get(0);
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), BUFFER);
        path = file;
        out.write(header.bom());
        if (header.rawLine() != null) {
            out.write(header.rawLine());
            out.write(header.lineTerminator());
        }
    }

    @Override
    public Path close() throws IOException {
        if (!closed) {
            closed = true;
            if (out != null) {
                out.close();
            }
        }
        return path;
    }
}
