package org.moodlesync.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The tryback of an archive feed: {@code <name>_tryback_<stamp>.zip} holding the failed entries,
 * copied from the original archive, so that once the users exist (or the images are fixed) it can
 * be dropped into the inbox again as it is. A record's first cell is its entry name.
 */
public final class ZipTryback extends LazyTrybackFile {
    private final String sourceName;
    private final ZipFile archive;

    public ZipTryback(Path reportsDir, String sourceName, String stamp, ZipFile archive) {
        super(reportsDir, sourceName, stamp, ".zip");
        this.sourceName = sourceName;
        this.archive = archive;
    }

    @Override
    OutputStream begin(OutputStream file) {
        return new ZipOutputStream(file);
    }

    /** Copies the failed entry from the original archive, same name, same bytes. */
    @Override
    void write(OutputStream out, CsvRecord failed) throws IOException {
        String name = new String(failed.raw(), StandardCharsets.UTF_8);
        ZipEntry entry = archive.getEntry(name);
        if (entry == null) {
            throw new IllegalStateException(sourceName + " has no entry " + name);
        }
        ZipOutputStream zip = (ZipOutputStream) out;
        zip.putNextEntry(new ZipEntry(entry.getName()));
        try (InputStream in = archive.getInputStream(entry)) {
            in.transferTo(zip);
        }
        zip.closeEntry();
    }
}
