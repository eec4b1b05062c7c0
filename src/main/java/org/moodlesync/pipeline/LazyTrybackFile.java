package org.moodlesync.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What every tryback file shares: {@code <name>_tryback_<stamp><ext>} in the reports folder,
 * created owner-only on the first failed record (a clean run leaves none), never overwriting an
 * earlier one. Subclasses say what goes at its start and how a record is written.
 */
abstract class LazyTrybackFile implements Tryback {
    private static final int BUFFER = 1 << 16;

    private final Path reportsDir;
    private final String sourceName;
    private final String stamp;
    private final String extension;
    private OutputStream out;
    private Path path;
    private boolean closed;

    LazyTrybackFile(Path reportsDir, String sourceName, String stamp, String extension) {
        this.reportsDir = reportsDir;
        this.sourceName = sourceName;
        this.stamp = stamp;
        this.extension = extension;
    }

    /** Wraps the file's stream and writes what comes before the first record. */
    abstract OutputStream begin(OutputStream file) throws IOException;

    abstract void write(OutputStream out, CsvRecord failed) throws IOException;

    @Override
    public final void add(CsvRecord failed) {
        if (closed) {
            throw new IllegalStateException("tryback of " + sourceName + " is closed");
        }
        try {
            if (out == null) {
                String stem = ReportFiles.baseName(sourceName) + "_tryback_" + stamp;
                path = ReportFiles.createNew(reportsDir, stem, extension).get(0);
                out = begin(new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.WRITE), BUFFER));
            }
            write(out, failed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tryback file of " + sourceName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public final Path close() throws IOException {
        if (!closed) {
            closed = true;
            if (out != null) {
                out.close();
            }
        }
        return path;
    }
}
