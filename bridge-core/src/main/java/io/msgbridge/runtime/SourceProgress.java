package io.msgbridge.runtime;

import java.time.Clock;

/**
 * When the pump last polled its source and when a poll last handed out records: what the
 * {@link StallWatch} needs to tell a source that stopped handing out its backlog from a pipeline that
 * is only full. Written by the pump, read by the commit loop.
 */
final class SourceProgress {
    private final Clock clock;
    private volatile long lastPollMillis;
    private volatile long lastRecordsMillis;

    SourceProgress(Clock clock) {
        this.clock = clock;
        long now = clock.millis();
        this.lastPollMillis = now;
        this.lastRecordsMillis = now;
    }

    /** The pump is about to poll: there is room in flight. */
    void polling() {
        lastPollMillis = clock.millis();
    }

    /** A poll returned {@code count} records. */
    void polled(int count) {
        if (count > 0) {
            lastRecordsMillis = clock.millis();
        }
    }

    long lastPollMillis() {
        return lastPollMillis;
    }

    long lastRecordsMillis() {
        return lastRecordsMillis;
    }
}
