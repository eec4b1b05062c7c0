package org.moodlesync.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The tryback of an archive feed: {@code <name>_tryback_<stamp>.zip} holding the failed entries,
 * copied from the original archive, so that once the users exist (or the images are fixed) it can
 * be dropped into the inbox again as it is. A record's first cell is its entry name.
 */
public final class ZipTryback implements Tryback {
    private final Path reportsDir;
    private final String sourceName;
    private final String stamp;
    private final ZipFile archive;
    private ZipOutputStream out;
    private Path path;
    private boolean closed;

    public ZipTryback(Path reportsDir, String sourceName, String stamp, ZipFile archive) {
        this.reportsDir = reportsDir;
        this.sourceName = sourceName;
        this.stamp = stamp;
        this.archive = archive;
    }

    @Override
    public void add(CsvRecord failed) {
        if (closed) {
            throw new IllegalStateException("tryback of " + sourceName + " is closed");
        }
        String name = new String(failed.raw(), StandardCharsets.UTF_8);
        ZipEntry entry = archive.getEntry(name);
        if (entry == null) {
            throw new IllegalStateException(sourceName + " has no entry " + name);
        }
        try {
            if (out == null) {
                String stem = ReportFiles.baseName(sourceName) + "_tryback_" + stamp;
                path = ReportFiles.createNew(reportsDir, stem, ".zip").get(0);
                out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.WRITE), 1 << 16));
            }
            out.putNextEntry(new ZipEntry(entry.getName()));
            try (InputStream in = archive.getInputStream(entry)) {
                in.transferTo(out);
            }
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tryback file of " + sourceName + ": " + e.getMessage(), e);
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
