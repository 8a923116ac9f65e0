package io.msgbridge.nats;

import io.nats.client.JetStreamSubscription;
import io.nats.client.PullRequestOptions;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The JetStream source's pull requests: keeps about one batch asked for or buffered ahead of the pump,
 * asks for more once a quarter of a batch has been taken, and asks again at once after a reconnect.
 *
 * <p>Why not jnats' {@code IterableConsumer}: it keeps counting what it asked for across a reconnect.
 * nats-server forgets every waiting pull request when it restarts, so the consumer then waits for its
 * heartbeat alarm (three idle heartbeats, tens of seconds) before it asks again, while the server
 * holds pending messages and nothing asks for them; and when that alarm fires while the pump is busy
 * it unsubscribes and drops what it had buffered, which the server redelivers after {@code ack-wait},
 * behind later messages. Here every request expires after {@link #EXPIRES} and the next is sent a
 * little before that, so a request the server lost without a reconnect costs at most that long.
 *
 * <p>What arrives is counted against the oldest open request; where the server fills requests in
 * another order, the counts settle when the requests expire. At most two requests are open (one about
 * to expire and the next), so the client never buffers more than two batches. Only the pump thread
 * calls it, except {@link #lost()}.
 */
final class PullRequests {
    static final Duration EXPIRES = Duration.ofSeconds(5);
    private static final long RENEW_BEFORE_NANOS = Duration.ofMillis(500).toNanos();

    private static final class Request {
        int remaining;
        final long renewAtNanos;

        Request(int remaining, long renewAtNanos) {
            this.remaining = remaining;
            this.renewAtNanos = renewAtNanos;
        }
    }

    private final JetStreamSubscription subscription;
    private final int batch;
    private final int threshold;
    private final ArrayDeque<Request> open = new ArrayDeque<>();
    private int outstanding;
    private volatile boolean lost = true;

    PullRequests(JetStreamSubscription subscription, int batch) {
        this.subscription = subscription;
        this.batch = batch;
        this.threshold = Math.max(1, batch / 4);
    }

    /** The open requests are gone (the connection was re-established, or a pull failed); called from any thread. */
    void lost() {
        lost = true;
    }

    /** A message arrived for one of the open requests. */
    void received() {
        Request oldest = open.peekFirst();
        if (oldest != null) {
            outstanding--;
            if (--oldest.remaining == 0) {
                open.pollFirst();
            }
        }
    }

    /**
     * Asks for what is missing to a full batch, counting what is asked for and what the client holds,
     * once that is at least a quarter batch. Call only while connected: a request sent during a
     * reconnect would wait in the client's buffer and add to the one sent after it.
     */
    void topUp() {
        long now = System.nanoTime();
        if (lost) {
            lost = false;
            open.clear();
            outstanding = 0;
        }
        while (!open.isEmpty() && now - open.peekFirst().renewAtNanos >= 0) {
            outstanding -= open.pollFirst().remaining;
        }
        long buffered = subscription.getPendingMessageCount();
        long wanted = batch - outstanding - buffered;
        if (wanted >= threshold) {
            int ask = (int) wanted;
            subscription.pull(PullRequestOptions.builder(ask).expiresIn(EXPIRES).build());
            open.addLast(new Request(ask, now + EXPIRES.toNanos() - RENEW_BEFORE_NANOS));
            outstanding += ask;
        }
    }

    /** Messages asked for and not yet arrived, over the open requests. */
    int outstanding() {
        return outstanding;
    }
}
