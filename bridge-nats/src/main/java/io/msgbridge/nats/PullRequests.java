package io.msgbridge.nats;

import io.nats.client.JetStreamSubscription;
import io.nats.client.PullRequestOptions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JetStream source's pull requests: keeps about one batch asked for or buffered ahead of the pump,
 * and at most {@code readAhead} bytes, asks for more once a quarter of a batch has been taken, and asks
 * again at once after a reconnect.
 *
 * <p>Why not jnats' {@code IterableConsumer}: it keeps counting what it asked for across a reconnect.
 * nats-server forgets every waiting pull request when it restarts, so the consumer then waits for its
 * heartbeat alarm (three idle heartbeats, tens of seconds) before it asks again, while the server
 * holds pending messages and nothing asks for them; and when that alarm fires while the pump is busy
 * it unsubscribes and drops what it had buffered, which the server redelivers after {@code ack-wait},
 * behind later messages. Here every request expires after {@link #EXPIRES} and the next is sent a
 * little before that, so a request the server lost without a reconnect costs at most that long. A
 * source that has received nothing for a while asks with a longer expiry ({@link #topUp(Duration)}):
 * an idle request brings a message the moment it is stored, however long it lasts, and renewing one
 * every few seconds per pipeline (a request, the server's 408 when it expires, and the threads each
 * wakes) is most of what an idle pipeline costs.
 *
 * <p>Bytes: each request carries {@code max_bytes} of half the read-ahead (or of the largest message
 * the server takes, when that is more), and one is sent only while what the client holds plus what
 * the open requests may still bring leaves room for it, so the client
 * never holds much more than the read-ahead, whatever the message size (a batch of large messages
 * would otherwise be hundreds of MiB, and a client that cannot take them in fast enough is cut off by
 * the server as a slow consumer). The server ends a request whose next message does not fit in what
 * is left of its bytes with a 409 "Message Size Exceeds MaxBytes" ({@link #ended()}), which jnats
 * reports on its own thread after the pump passed it, so a request whose bytes no longer fit a message
 * of the last one's size counts as bringing no more messages already; when a request
 * ends so without a single message, that message is larger than a request's bytes, and the next
 * request asks for it alone, without a byte limit, so it is delivered rather than refused for ever.
 *
 * <p>What arrives is counted against the oldest open request; where the server fills requests in
 * another order, the counts settle when the requests end or expire. Only the pump thread calls it,
 * except {@link #lost()} and {@link #ended()}.
 */
final class PullRequests {
    /** How long a request lasts while messages flow. */
    static final Duration EXPIRES = Duration.ofSeconds(5);
    /**
     * How long a request of an idle source lasts: the most that a request the server dropped while the
     * connection stayed up can delay the first message after a pause. As long as the idle refresh of
     * the consumer's pending count ({@link JetStreamSource#lag()}).
     */
    static final Duration IDLE_EXPIRES = Duration.ofSeconds(30);
    private static final long RENEW_BEFORE_NANOS = Duration.ofMillis(500).toNanos();

    private static final class Request {
        final int asked;
        final boolean limited;
        int remaining;
        long remainingBytes;
        final long renewAtNanos;

        /** {@code maxBytes} 0: no byte limit. */
        Request(int asked, long maxBytes, long renewAtNanos) {
            this.asked = asked;
            this.limited = maxBytes > 0;
            this.remaining = asked;
            this.remainingBytes = maxBytes;
            this.renewAtNanos = renewAtNanos;
        }

        /**
         * The messages it may still bring: what it asked for, or fewer when messages of the last one's
         * size no longer fit in its bytes (the server then ends it, and that is not known here yet).
         */
        long expected(long typicalBytes) {
            return limited ? Math.min(remaining, remainingBytes / typicalBytes) : remaining;
        }
    }

    private final JetStreamSubscription subscription;
    private final int batch;
    private final int threshold;
    private final long readAhead;
    private final long maxBytes;
    private final ArrayDeque<Request> open = new ArrayDeque<>();
    private final AtomicInteger ended = new AtomicInteger();
    private long typicalBytes = 1;
    private int receivedSinceEnded;
    private boolean oversized;
    private volatile boolean lost = true;

    /**
     * @param batch     the most messages asked for or buffered ahead
     * @param readAhead the most bytes asked for or buffered ahead
     * @param largest   the largest message the server may deliver (its {@code max_payload} and room for
     *                  the subject), so that a request of half the read-ahead always has room for one
     */
    PullRequests(JetStreamSubscription subscription, int batch, long readAhead, long largest) {
        this.subscription = subscription;
        this.batch = batch;
        this.threshold = Math.max(1, batch / 4);
        this.maxBytes = Math.max(readAhead / 2, largest);
        this.readAhead = Math.max(readAhead, maxBytes);
    }

    /** The {@code max_bytes} of each request. */
    long maxBytes() {
        return maxBytes;
    }

    /** The open requests are gone (the connection was re-established, or a pull failed); called from any thread. */
    void lost() {
        lost = true;
    }

    /**
     * The server ended the oldest open request before it was filled: its next message did not fit in
     * the bytes left (409 "Message Size Exceeds MaxBytes"). Called from any thread.
     */
    void ended() {
        ended.incrementAndGet();
    }

    /** A message of {@code bytes} (as the server counts them) arrived for one of the open requests. */
    void received(long bytes) {
        receivedSinceEnded++;
        typicalBytes = Math.max(1, bytes);
        Request oldest = open.peekFirst();
        if (oldest != null) {
            oldest.remaining--;
            oldest.remainingBytes -= Math.min(bytes, oldest.remainingBytes);
            if (oldest.remaining == 0) {
                open.pollFirst();
            }
        }
    }

    /**
     * Asks for what is missing to a full batch, counting what is asked for and what the client holds,
     * once that is at least a quarter batch and a request's bytes fit in the read-ahead; a request sent
     * now expires after {@code expires}. Call only while connected: a request sent during a reconnect
     * would wait in the client's buffer and add to the one sent after it.
     */
    void topUp(Duration expires) {
        long now = System.nanoTime();
        if (lost) {
            lost = false;
            open.clear();
            ended.set(0);
        }
        int n = ended.getAndSet(0);
        if (n > 0) {
            // Messages of the next request can be counted against an ended one before its end is known
            // here; a request looks empty then while it was not. Only when no message at all came since
            // the last end is its message too large.
            boolean nothingCame = receivedSinceEnded == 0;
            receivedSinceEnded = 0;
            for (; n > 0 && !open.isEmpty(); n--) {
                Request gone = open.pollFirst();
                oversized |= nothingCame && gone.limited && gone.remaining == gone.asked;
            }
        }
        while (!open.isEmpty() && now - open.peekFirst().renewAtNanos >= 0) {
            open.pollFirst();
        }
        long renewAt = now + expires.toNanos() - RENEW_BEFORE_NANOS;
        if (oversized) {
            if (open.isEmpty() && subscription.getPendingMessageCount() == 0) {
                oversized = false;
                subscription.pull(PullRequestOptions.builder(1).expiresIn(expires).build());
                open.addLast(new Request(1, 0, renewAt));
            }
            return;
        }
        long wanted = batch - outstanding() - subscription.getPendingMessageCount();
        boolean room = Math.max(0, subscription.getPendingByteCount()) + outstandingBytes() + maxBytes <= readAhead;
        if (wanted >= threshold && room) {
            int ask = (int) wanted;
            subscription.pull(PullRequestOptions.builder(ask).maxBytes(maxBytes).expiresIn(expires).build());
            open.addLast(new Request(ask, maxBytes, renewAt));
        }
    }

    /**
     * When {@link #topUp(Duration)} next has something to do without a message arriving or a request ending:
     * when the oldest open request is due to be renewed ({@link System#nanoTime()} scale), or
     * {@link Long#MAX_VALUE} when none is open.
     */
    long renewAtNanos() {
        Request oldest = open.peekFirst();
        return oldest == null ? Long.MAX_VALUE : oldest.renewAtNanos;
    }

    /** Messages the open requests may still bring. */
    long outstanding() {
        long sum = 0;
        for (Request r : open) {
            sum += r.expected(typicalBytes);
        }
        return sum;
    }

    /** Bytes the open requests may still bring (those without a limit: one message, counted in what the client holds). */
    private long outstandingBytes() {
        long sum = 0;
        for (Request r : open) {
            sum += r.remainingBytes;
        }
        return sum;
    }
}
