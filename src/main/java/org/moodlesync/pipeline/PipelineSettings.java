package org.moodlesync.pipeline;

import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * The sync.* configuration keys the pipeline reads.
 *
 * @param separator null to detect ';' or ',' from each file's header
 */
public record PipelineSettings(Path inbox, Path archive, Path failed, Path reports, Charset charset, Character separator,
                               int chunkSize, boolean allowUnknownColumns, boolean dryRun) {
}
