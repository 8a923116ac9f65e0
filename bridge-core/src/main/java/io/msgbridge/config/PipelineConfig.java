package io.msgbridge.config;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.SourceContext;

import java.time.Duration;
import java.util.Optional;

/**
 * One checked pipeline.
 *
 * @param name               unique name; prefixes its log lines and metric names
 * @param source             the {@code from:} section, checked by its connector
 * @param sink               the {@code to:} section, checked by its connector
 * @param deadLetter         the {@code dead-letter:} section, if any
 * @param key                how keys are computed (default {@code native})
 * @param lanes              how many lanes records fan out to by key (default: one per processor, at least 2)
 * @param maxInFlightRecords the most records held between source and done (default 2,000)
 * @param maxInFlightBytes   the most payload bytes held (default 32 MiB)
 * @param retry              the retry policy
 * @param resume             where the source starts (default {@code store})
 * @param onPoison           what a record that fails for good (permanent error, retries exhausted) does to
 *                           the later records of its key
 * @param commitInterval     how often watermarks are committed (from {@code offsets.commit-interval},
 *                           overridable per pipeline)
 * @param stallTimeout       how long a record may wait without being done, or a source with a backlog
 *                           hand out nothing, before the pipeline reports itself stalled (default 1m)
 */
public record PipelineConfig(String name, Connector.SourceSpec source, Connector.SinkSpec sink,
                             Optional<Connector.SinkSpec> deadLetter, KeySpec key, int lanes,
                             int maxInFlightRecords, long maxInFlightBytes, RetryConfig retry,
                             SourceContext.Resume resume, OnPoison onPoison, Duration commitInterval,
                             Duration stallTimeout) {
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(1);


    /** What a poison record does to its key. */
    public enum OnPoison {
        /** The record goes to the dead-letter route; the key's later records flow on. */
        DEAD_LETTER,
        /**
         * The record goes to the dead-letter route and its key is parked: the key's later records are
         * held, in order, while other keys flow, until an operator releases or skips the key.
         */
        PARK_KEY
    }
}
