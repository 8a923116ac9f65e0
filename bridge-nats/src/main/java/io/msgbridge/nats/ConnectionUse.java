package io.msgbridge.nats;

import java.time.Duration;
import java.util.Optional;

/**
 * What a jnats connection is for, which decides two client settings ({@link NatsConnectionFactory}).
 *
 * <p><b>Who reconnects.</b> jnats reconnects by itself and then writes what it had queued before the
 * disconnect. For a JetStream sink that breaks per-key order: a record written into the dying socket
 * is lost, while the next one, still queued, is stored after the reconnect; the lost one is published
 * again later and lands behind its successor. So a JetStream sink's connection is never reconnected by
 * jnats: when it drops, jnats closes it (failing every publish that waits for its PubAck, and
 * discarding what is queued), and the sink dials a new one ({@link Redialer}). Core publishers and
 * sources keep jnats' reconnect: a core publish is done when the client took it, so there is nothing
 * to publish again, and a consumer's subscriptions survive a reconnect.
 *
 * <p><b>Header guard.</b> Connections that receive messages published by other clients read through
 * {@link HeaderGuardDataPort}, so a header block jnats cannot parse does not end the connection's
 * reader; sinks receive only the server's replies and do without it.
 *
 * <p><b>Request cleanup.</b> jnats looks through a connection's requests for overdue replies on a timer
 * of its own (every 5 s by default), which fails an asynchronous request no reply came for. A receiver
 * makes only synchronous JetStream API requests, which time out by themselves in the caller; its timer
 * only forgets them, so it ticks once a minute, not every 5 s on every idle pipeline's connection.
 */
enum ConnectionUse {
    /** A source or read-back: receives any client's messages; jnats reconnects. */
    RECEIVER(true, true, Optional.of(Duration.ofMinutes(1))),
    /** A core NATS publisher: jnats reconnects and sends what it buffered meanwhile. */
    CORE_PUBLISHER(true, false, Optional.empty()),
    /** A JetStream publisher: closed on disconnect, dialled again by the sink. */
    JETSTREAM_PUBLISHER(false, false, Optional.empty());

    private final boolean clientReconnects;
    private final boolean guardsHeaders;
    private final Optional<Duration> requestCleanup;

    ConnectionUse(boolean clientReconnects, boolean guardsHeaders, Optional<Duration> requestCleanup) {
        this.clientReconnects = clientReconnects;
        this.guardsHeaders = guardsHeaders;
        this.requestCleanup = requestCleanup;
    }

    boolean clientReconnects() {
        return clientReconnects;
    }

    boolean guardsHeaders() {
        return guardsHeaders;
    }

    /** How often jnats looks for overdue requests, when not its default or a publisher's request timeout. */
    Optional<Duration> requestCleanup() {
        return requestCleanup;
    }
}
