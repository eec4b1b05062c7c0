package org.moodlesync.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

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
public final class TrybackWriter extends LazyTrybackFile {
    private final CsvHeader header;

    public TrybackWriter(Path reportsDir, String sourceName, String stamp, CsvHeader header) {
        super(reportsDir, sourceName, stamp, ReportFiles.extension(sourceName));
        this.header = header;
    }

    /** The original byte order mark and header line, as they were. */
    @Override
    OutputStream begin(OutputStream file) throws IOException {
        file.write(header.bom());
        if (header.rawLine() != null) {
            file.write(header.rawLine());
            file.write(header.lineTerminator());
        }
        return file;
    }

    @Override
    void write(OutputStream out, CsvRecord failed) throws IOException {
        out.write(failed.raw());
        out.write(header.lineTerminator());
    }
}
