package io.msgbridge.spi;

import io.msgbridge.config.ConfigNode;

import java.util.Optional;

/**
 * A backend. Found with {@link java.util.ServiceLoader}: a backend module lists its implementation in
 * {@code META-INF/services/io.msgbridge.spi.Connector}, so the core never names a backend.
 */
public interface Connector {

    /** The {@code type:} of a connection section that this connector reads, e.g. {@code nats}. */
    String type();

    /**
     * Reads and checks one {@code connections.NAME} section. Never connects. Problems are reported
     * through {@code node} (all of them; never thrown); the returned spec is then not used.
     */
    ConnectionSpec connection(String name, ConfigNode node);

    /** A checked connection section: makes source and sink specs from pipeline sections. */
    interface ConnectionSpec {
        /** Reads a pipeline's {@code from:} section for this connection. Problems go to {@code from}. */
        SourceSpec source(ConfigNode from);

        /**
         * Reads a pipeline's {@code to:} section, or a {@code dead-letter:} section, for this
         * connection. Problems go to {@code to}.
         */
        SinkSpec sink(ConfigNode to);
    }

    /** A checked source section; {@link #create()} makes an unconnected source. */
    interface SourceSpec {
        Source create();

        /** Backend and topic/subject for logs, metrics and dead-letter headers, e.g. {@code nats:orders.>}. No secrets. */
        String describe();
    }

    /** A checked sink section; {@link #create()} makes an unconnected sink. */
    interface SinkSpec {
        Sink create();

        /** Backend and destination for logs and status. No secrets. */
        String describe();

        /**
         * A source that reads back what this sink wrote, without disturbing other consumers (no
         * durable consumer state, no acknowledgements, nothing removed); empty where the backend
         * cannot (NATS core). Used by {@code bridge dlq list|replay} on dead-letter routes.
         *
         * <p>The source's contract beyond {@link Source}: it reads from the start of the destination,
         * or after the positions in {@link SourceContext#stored()} when given (whatever
         * {@link SourceContext#resume()} says), and only up to what the destination held when
         * {@link Source#start} ran: later writes are not read. Once it has handed out everything up
         * to that end, {@link Source#poll} returns empty lists and {@link Source#lag()} returns 0;
         * before, {@code lag()} is positive or -1. {@link SourceRecord.Ack#done()} does nothing.
         * Records keep the headers the sink wrote ({@code bridge.error.*} on a dead-letter route).
         */
        default Optional<SourceSpec> reader() {
            return Optional.empty();
        }
    }
}
