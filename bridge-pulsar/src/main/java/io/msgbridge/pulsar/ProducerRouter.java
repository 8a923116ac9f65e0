package io.msgbridge.pulsar;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Decides which producer a record goes through.
 *
 * <p>Without {@code dedup}: one batching producer per destination topic, with a client-chosen name.
 *
 * <p>With {@code dedup: true}, a record whose source position has a sequence goes through the
 * producer of its (destination topic, source partition), named {@code bridge-<pipeline>-<hash of the
 * source partition>}, with sequence id = {@link Position#sequence()}. The broker (with deduplication
 * on) remembers the highest sequence id it stored per producer name and drops a message whose id is
 * not higher: so a replay after a crash, which re-sends the same records with the same ids, is
 * dropped. That is only right when each producer's ids reach the broker in increasing order: the sink
 * asks the runtime for every record of a source partition in source order
 * ({@link io.msgbridge.spi.SinkOrdering.Scope#SOURCE_PARTITION}), and an {@link io.msgbridge.backend.OrderGate} keeps a
 * failed record from being overtaken. The number of producers is bounded by destination topics times
 * source partitions, whatever the keys.
 *
 * <p>A record from a source without sequences ({@link Position#NO_SEQUENCE}: NATS core, NSQ) cannot
 * be deduplicated by position: it goes through the topic's ordinary producer, at-least-once.
 *
 * <p>Thread-safe and stateless.
 */
final class ProducerRouter {
    private final String prefix;
    private final boolean dedup;

    /**
     * @param pipeline the pipeline, part of every deduplicating producer's name
     * @param dedup    whether records with a sequence go through deduplicating producers
     */
    ProducerRouter(String pipeline, boolean dedup) {
        this.prefix = "bridge-" + pipeline + "-";
        this.dedup = dedup;
    }

    /** Which producer of {@code topic} takes {@code record}. */
    ProducerKey route(String topic, OutboundRecord record) {
        Position source = record.source();
        if (!dedup || !source.hasSequence()) {
            return new ProducerKey(topic, null);
        }
        return new ProducerKey(topic, prefix + hash(source.partition()));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * A producer's identity.
     *
     * @param topic the destination topic
     * @param name  the stable producer name of a deduplicating producer, or null for the topic's ordinary one
     */
    record ProducerKey(String topic, String name) {
        boolean deduplicating() {
            return name != null;
        }

        /*
         * equals and hashCode are written out: a record's generated ones run through method handles, which
         * showed in a profile of the producer lookup done for every record sent (docs/benchmarks.md).
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof ProducerKey other && topic.equals(other.topic) && Objects.equals(name, other.name);
        }

        @Override
        public int hashCode() {
            return 31 * topic.hashCode() + Objects.hashCode(name);
        }
    }
}
