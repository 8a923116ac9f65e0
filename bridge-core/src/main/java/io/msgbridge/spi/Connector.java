package io.msgbridge.spi;

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
     * through {@code node} (all of them; never thrown). With problems, the returned spec (built on
     * placeholders) only reads the pipeline sections that name the connection, for their own problems;
     * it never makes a source or sink.
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

        /**
         * The position an operator gives ({@code bridge offsets set}) for a partition of this source, as
         * the source will read it back on resume. The default takes any token that is not blank, with
         * its sequence when it is a whole number.
         *
         * @throws IllegalArgumentException naming what this backend's positions look like, when the
         *                                  token is not one
         */
        default Position position(String partition, String offset) {
            return anyPosition(partition, offset);
        }

        /**
         * Whether several daemons run this source at once, each given some of the partitions by the
         * broker (a consumer group's members): each daemon then claims the pipeline beside the others in
         * a shared offset store, and commits the partitions it reads. False by default: one daemon
         * reads every partition, and the others wait as standbys.
         */
        default boolean sharesPartitions() {
            return false;
        }

        /** What {@code bridge validate}'s lint may know of this section; the default claims nothing. */
        default SourceTraits traits() {
            return SourceTraits.UNKNOWN;
        }

        /**
         * A source that reads what this source would read, without consuming it (no durable consumer or
         * consumer group, no acknowledgements, nothing removed, no cursor moved); empty where the backend
         * cannot (NATS core, NSQ: what was delivered is gone). Used by {@code bridge verify} to compare a
         * pipeline's source with its sink.
         *
         * <p>The contract of {@link SinkSpec#reader()} (from the start, or after the stored positions;
         * up to what the source held when {@link Source#start} ran; then empty polls and a lag of 0),
         * and records carry the partitions and positions this source's own records carry, so they compare
         * with what the pipeline committed.
         */
        default Optional<SourceSpec> reader() {
            return Optional.empty();
        }
    }

    /** Any token that is not blank as a position, with its sequence when it is a whole number. */
    static Position anyPosition(String partition, String offset) {
        if (offset.isBlank()) {
            throw new IllegalArgumentException("a position must not be empty");
        }
        try {
            return new Position(partition, offset, Long.parseLong(offset));
        } catch (NumberFormatException e) {
            return new Position(partition, offset, Position.NO_SEQUENCE);
        }
    }

    /**
     * A position that is a sequence number of the partition, 0 or more (a JetStream stream sequence, a
     * Kafka or RocketMQ offset), for sources that take nothing else.
     *
     * @throws IllegalArgumentException saying so, naming {@code what} (e.g. "a Kafka offset")
     */
    static Position sequencePosition(String partition, String offset, String what) {
        try {
            long sequence = Long.parseLong(offset);
            if (sequence >= 0) {
                return new Position(partition, offset, sequence);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("\"" + offset + "\" is not " + what + ": a whole number, 0 or more");
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

        /** What {@code bridge validate}'s lint may know of this section; the default claims nothing. */
        default SinkTraits traits() {
            return SinkTraits.UNKNOWN;
        }

        /**
         * A source that shows what arrives at this sink's destination without consuming it, for
         * {@code bridge tap}; empty where the backend cannot. Nothing it does is seen by other consumers:
         * no durable consumer or subscription is left behind, nothing is committed, acknowledged or
         * removed for anyone else (a backend whose protocol needs an acknowledgement to deliver more, as
         * NSQ does, reads on a channel of its own that ends with the connection).
         *
         * <p>The source's contract beyond {@link Source}: it starts where {@code from} says, ignores
         * {@link SourceContext#stored()} and {@link SourceContext#resume()}, and goes on reading what
         * arrives for as long as it is open: an empty poll means nothing new yet. The caller calls
         * {@link SourceRecord.Ack#done()} on every record it has shown and never calls
         * {@link Source#committed}. Positions are the backend's own (a stream sequence, an offset, a
         * MessageId), or a per-run counter where the backend has none (NATS core, NSQ).
         *
         * @throws IllegalArgumentException when the destination cannot be tapped as configured (a topic
         *                                  template, say), with what to give instead
         */
        default Optional<Source> tap(TapFrom from) {
            return Optional.empty();
        }
    }

    /** Where {@link SinkSpec#tap} starts. */
    enum TapFrom {
        /** Only what arrives after the tap started. */
        NOW,
        /** Everything the destination still holds, then what arrives; as {@link #NOW} where it holds nothing. */
        START
    }
}
