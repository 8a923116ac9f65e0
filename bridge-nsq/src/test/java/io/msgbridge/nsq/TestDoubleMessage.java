package io.msgbridge.nsq;

/** A message inside the {@link NsqTestDouble}: one copy per channel, as nsqd keeps it. */
final class TestDoubleMessage {
    final String id;
    final byte[] body;
    final long timestampNanos;
    int attempts;

    TestDoubleMessage(String id, byte[] body, long timestampNanos) {
        this.id = id;
        this.body = body;
        this.timestampNanos = timestampNanos;
    }

    TestDoubleMessage copy() {
        return new TestDoubleMessage(id, body, timestampNanos);
    }
}
