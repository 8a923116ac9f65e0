package io.msgbridge.nsq;

/**
 * How the pipeline's in-flight window is spread over nsqd connections (as go-nsq and pynsq do):
 * {@code max_in_flight / connections} each, never above a connection's {@code max_rdy_count} and at
 * least 1, so that the sum stays within the window whenever there are no more connections than records
 * in the window.
 */
final class RdyPlan {
    private RdyPlan() {
    }

    static int perConnection(int window, int connections, int maxRdyCount) {
        int share = window / Math.max(1, connections);
        return Math.max(1, Math.min(share, maxRdyCount));
    }
}
