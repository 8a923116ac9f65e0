package io.msgbridge.runtime;

import java.util.EnumSet;
import java.util.Set;

/**
 * A pipeline's lifecycle. Allowed moves: CREATED → STARTING → RUNNING → DRAINING → STOPPED, and from
 * any state but STOPPED to FAILED (a permanent error: refused credentials, a stream that is missing, a
 * claim lost to another daemon) or straight to STOPPED (stopped before it ran). DEGRADED is never
 * stored: a status snapshot reports a RUNNING pipeline that is not ready (a broker or the offset store
 * unreachable, a record held) as DEGRADED.
 */
public enum PipelineState {
    CREATED, STARTING, RUNNING, DEGRADED, DRAINING, STOPPED, FAILED;

    /** Whether a pipeline in this state may move to {@code next}. */
    public boolean canMoveTo(PipelineState next) {
        return allowedNext().contains(next);
    }

    private Set<PipelineState> allowedNext() {
        return switch (this) {
            case CREATED -> EnumSet.of(STARTING, STOPPED, FAILED);
            case STARTING -> EnumSet.of(RUNNING, DRAINING, STOPPED, FAILED);
            case RUNNING, DEGRADED -> EnumSet.of(DRAINING, STOPPED, FAILED);
            case DRAINING -> EnumSet.of(STOPPED, FAILED);
            case STOPPED -> EnumSet.noneOf(PipelineState.class);
            case FAILED -> EnumSet.of(STOPPED);
        };
    }
}
