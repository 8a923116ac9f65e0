package io.msgbridge.nsq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A message frame's data: {@code int64 timestamp (ns) | uint16 attempts | 16-byte id | body}.
 *
 * @param id        the message id (16 ASCII hex characters on nsqd)
 * @param attempts  1 on the first delivery
 * @param timestamp when nsqd received it
 * @param body      the payload
 */
record NsqMessage(String id, int attempts, Instant timestamp, byte[] body) {
    static final int ID_LENGTH = 16;
    static final int HEADER = 8 + 2 + ID_LENGTH;

    /** A message from its fields as read: the timestamp in nanoseconds, the id's ASCII bytes, the body (kept, not copied). */
    static NsqMessage of(long timestampNanos, int attempts, byte[] id, byte[] body) {
        return new NsqMessage(new String(id, StandardCharsets.US_ASCII), attempts, Instant.ofEpochSecond(0, timestampNanos), body);
    }
}
