package io.msgbridge.runtime;

/**
 * A pipeline's lifecycle. Allowed moves: CREATED → STARTING → RUNNING ⇄ DEGRADED → DRAINING → STOPPED,
 * and from any state to FAILED (a permanent error: bad credentials, a missing topic) or STOPPED.
 * DEGRADED means running but not ready: a broker or the offset store is unreachable and the pipeline is
 * waiting for it, or the dead-letter route refused a record and the pipeline is holding.
 */
public enum PipelineState {
    CREATED, STARTING, RUNNING, DEGRADED, DRAINING, STOPPED, FAILED
}
