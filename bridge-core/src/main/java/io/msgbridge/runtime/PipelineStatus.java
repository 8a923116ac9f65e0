package io.msgbridge.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one pipeline for {@code /pipelines} and {@code /health/ready}. Holds no secrets.
 *
 * @param name            the pipeline
 * @param state           its lifecycle state
 * @param ready           source and sink connected and the last commit succeeded
 * @param source          the source's description
 * @param sink            the sink's description
 * @param recordsIn       records read from the source
 * @param recordsOut      records confirmed by the sink
 * @param recordsFailed   failed attempts (all stages)
 * @param deadLettered    records confirmed by the dead-letter route
 * @param inFlight        records between source and done now
 * @param committed       per partition, the last committed position token
 * @param lastCommitAt    when the last commit succeeded, or null
 * @param parkedKeys      per parked key ({@code on-poison: park-key}), how many records it holds
 * @param reason          why the pipeline is not ready now, or null when it is
 * @param lastError       the last error's text, or null; it may be older than the reason (a commit that
 *                        failed and then succeeded again), see {@code lastErrorAt}
 * @param lastErrorAt     when it happened, or null
 */
public record PipelineStatus(String name, PipelineState state, boolean ready, String source, String sink,
                             long recordsIn, long recordsOut, long recordsFailed, long deadLettered,
                             long inFlight, Map<String, String> committed, Instant lastCommitAt,
                             Map<String, Integer> parkedKeys, String reason, String lastError,
                             Instant lastErrorAt) {
}
