package io.msgbridge.nsq;

/**
 * How the pipeline's in-flight window is spread over nsqd connections (as go-nsq and pynsq do):
 * {@code max_in_flight / connections} each, never above a connection's {@code max_rdy_count} and at
 * least 1, so that the sum stays within the window whenever there are no more connections than records
 * in the window; and how a connection's share of the read-ahead bytes narrows its RDY for large messages.
 */
final class RdyPlan {
    /** The size estimate of a connection that has not seen a message yet. */
    static final long UNKNOWN_SIZE = 0;
    /**
     * The message size assumed before the first message: nsqd's default {@code --max-msg-size}, the
     * largest message it accepts unless told otherwise. So a new connection asks for no more than its byte
     * share of the largest messages until it sees what the topic carries.
     */
    private static final long FIRST_SIZE_ESTIMATE = 1 << 20;
    /** How fast the estimate forgets a large message: by 1/64 a message, so to half in about 44 smaller ones. */
    private static final int FORGET = 64;

    private RdyPlan() {
    }

    static int perConnection(int window, int connections, int maxRdyCount) {
        int share = window / Math.max(1, connections);
        return Math.max(1, Math.min(share, maxRdyCount));
    }

    /**
     * A connection's RDY count: its share of the records window, narrowed so that that many messages of
     * {@code messageSize} fit in its share of the read-ahead bytes; at least 1, so a message larger than
     * the whole share still comes, alone.
     */
    static int byBytes(int records, long bytes, long messageSize) {
        long fit = bytes / (messageSize == UNKNOWN_SIZE ? FIRST_SIZE_ESTIMATE : Math.max(1, messageSize));
        return (int) Math.max(1, Math.min(records, fit));
    }

    /**
     * The size estimate after a message of {@code size} bytes: the first message's size, then the largest
     * recent message, forgotten gradually, so one large message narrows the window at once and a run of
     * small ones widens it again.
     */
    static long nextEstimate(long estimate, int size) {
        return estimate == UNKNOWN_SIZE ? size : Math.max(size, estimate - estimate / FORGET);
    }
}
