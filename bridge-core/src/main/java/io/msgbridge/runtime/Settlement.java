package io.msgbridge.runtime;

import java.util.List;

/**
 * Settling: what happens once records are done (delivered or dead-lettered). Each is marked done in
 * the offset tracker (its position may be committed once every record before it is done too),
 * acknowledged to its source, and then the room the records took in flight is freed, in one go.
 */
final class Settlement {
    private final InFlightLimiter limiter;

    Settlement(InFlightLimiter limiter) {
        this.limiter = limiter;
    }

    /** Settles done records; called by a lane for the records it finished in one pass. */
    void settle(List<InFlightRecord> records) {
        long bytes = 0;
        for (InFlightRecord record : records) {
            record.ticket.done();
            record.source.ack().done();
            bytes += record.bytes;
        }
        limiter.release(records.size(), bytes);
    }
}
