package io.msgbridge.nats;

import io.msgbridge.backend.OrderGate;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Maps what jnats throws or fails a publish future with to the SPI's exceptions, with the pipeline,
 * connection and subject in the message:
 * <ul>
 *   <li>any failure while the connection is not connected: the destination is unavailable (retried
 *       without using up attempts);</li>
 *   <li>max payload exceeded: permanent (this record can never go there);</li>
 *   <li>a permissions violation reported by the server for this subject: permanent, naming the connection;</li>
 *   <li>"no responders" on a JetStream publish (no stream captures the subject): <b>unavailable</b>. A
 *       missing stream is an outage of the destination, not a bad record: dead-lettering every record
 *       would empty the pipeline into the dead-letter route, so the pipeline waits (and reports not
 *       ready) until a stream exists;</li>
 *   <li>timeouts, I/O and anything else: retriable.</li>
 * </ul>
 * Any failure closes the sink's {@link OrderGate} for the record's key before it is reported, so no
 * later record of the key goes out until the runtime has decided this one and resumes the key: after a
 * permanent failure too, the key's later records wait (parked, with {@code on-poison: park-key})
 * unless they were on their way already.
 */
final class PublishFailures {
    private final String where;
    private final ConnectionEvents events;
    private final Connection connection;
    private final OrderGate gate;

    /** {@code gate} null: none (a dead-letter route). */
    PublishFailures(String where, ConnectionEvents events, Connection connection, OrderGate gate) {
        this.where = where;
        this.events = events;
        this.connection = connection;
        this.gate = gate;
    }

    /** The failure of publishing {@code record} to {@code subject}; closes the gate for its key. */
    BridgeException failed(OutboundRecord record, String subject, Throwable failure) {
        BridgeException mapped = connection.getStatus() != Connection.Status.CONNECTED
                ? RetriableException.unavailable(where + ": the connection is " + connection.getStatus()
                        + "; the record for subject " + subject + " is published again once it is back", unwrap(failure))
                : map(failure, subject);
        if (gate != null) {
            gate.failed(record);
        }
        return mapped;
    }

    private BridgeException map(Throwable failure, String subject) {
        Throwable t = unwrap(failure);
        String text = String.valueOf(t.getMessage());
        String lower = text.toLowerCase(Locale.ROOT);
        if (t instanceof BridgeException b) {
            return b;
        }
        if (t instanceof IllegalArgumentException && lower.contains("payload size")) {
            return new PermanentException(where + ": message for subject " + subject + " is too large: " + text, t);
        }
        String violation = events.lastPermissionViolation();
        if (violation != null && violation.contains("\"" + subject + "\"")) {
            return new PermanentException(where + ": not authorized to publish to subject " + subject + ": " + violation, t);
        }
        if (lower.contains("no responders")) {
            return RetriableException.unavailable(where + ": no JetStream stream captures subject " + subject
                    + " (503 no responders); create a stream for it, add create-stream to the sink, or publish with mode: core", t);
        }
        if (t instanceof JetStreamApiException api && api.getErrorCode() >= 400 && api.getErrorCode() < 500) {
            return new PermanentException(where + ": JetStream refused the message for subject " + subject + ": " + text, t);
        }
        if (t instanceof TimeoutException || t instanceof CancellationException) {
            return new RetriableException(where + ": no PubAck for subject " + subject + " in time: " + text, t);
        }
        if (t instanceof IOException || t instanceof IllegalStateException) {
            return new RetriableException(where + ": publish to subject " + subject + " failed: " + text, t);
        }
        return new RetriableException(where + ": publish to subject " + subject + " failed: " + t, t);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || (current instanceof RuntimeException && current.getClass() == RuntimeException.class))
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
