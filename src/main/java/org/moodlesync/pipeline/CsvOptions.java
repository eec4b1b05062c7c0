package org.moodlesync.pipeline;

import java.nio.charset.Charset;
import java.util.List;

/**
 * How to read a feed file.
 *
 * @param charset      UTF-8 or ISO-8859-1 ({@code sync.encoding})
 * @param separator    ';' or ',' or null to detect it from the header line ({@code sync.separator=auto})
 * @param fixedColumns null for files with a header line; otherwise the column names of a
 *                     headerless feed (e.g. course delete files: one identifier per line)
 */
public record CsvOptions(Charset charset, Character separator, List<String> fixedColumns) {
}
