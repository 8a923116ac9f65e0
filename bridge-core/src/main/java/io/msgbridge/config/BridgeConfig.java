package io.msgbridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A whole checked config file.
 *
 * @param file            the file it was read from
 * @param offsets         where positions are stored
 * @param http            the status and metrics endpoint
 * @param shutdownTimeout how long {@code run} drains in-flight records on SIGTERM before it commits and exits
 * @param memory          the memory budget that all pipelines' records in flight share
 * @param pipelines       the pipelines, in file order; names are unique
 */
public record BridgeConfig(Path file, OffsetsConfig offsets, HttpConfig http, Duration shutdownTimeout,
                           MemoryConfig memory, List<PipelineConfig> pipelines) {
    public BridgeConfig {
        pipelines = List.copyOf(pipelines);
    }
}
