package io.msgbridge.nsq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * A message frame's data: {@code int64 timestamp (ns) | uint16 attempts | 16-byte id | body}.
 *
 * @param id        the message id (16 ASCII hex characters on nsqd)
 * @param attempts  1 on the first delivery
 * @param timestamp when nsqd received it
 * @param body      the payload
 */
record NsqMessage(String id, int attempts, Instant timestamp, byte[] body) {
    static final int HEADER = 8 + 2 + 16;

    static NsqMessage decode(byte[] data) {
        if (data.length < HEADER) {
            throw new IllegalArgumentException("message frame of " + data.length + " bytes is shorter than its header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        long nanos = buffer.getLong();
        int attempts = Short.toUnsignedInt(buffer.getShort());
        String id = new String(data, 10, 16, StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOfRange(data, HEADER, data.length);
        return new NsqMessage(id, attempts, Instant.ofEpochSecond(0, nanos), body);
    }
}
