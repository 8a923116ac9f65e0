package io.msgbridge.pulsar;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Decides which producer a record goes through, and with which sequence id.
 *
 * <p>Without {@code dedup}: one batching producer per destination topic, with a client-chosen name.
 *
 * <p>With {@code dedup: true}, a record whose source position has a sequence goes through a producer
 * named {@code bridge-<pipeline>[-dlq]-<hash>}, where the hash is over (source partition, record key),
 * with sequence id = {@link Position#sequence()}. The broker (with deduplication on) remembers the
 * highest sequence id it stored per producer name and drops a message whose id is not higher: so a
 * replay after a crash, which re-sends the same records with the same ids, is dropped. That is only
 * right when each producer's ids are sent in increasing order. The runtime sends one record of a key
 * at a time, in source order, also across retries, but records of different keys concurrently; hence
 * one producer per key rather than per partition. A producer name therefore follows the pipeline's
 * key when the pipeline's {@code key} is {@code native} (the message key) or {@code topic}. Should a
 * lower sequence id reach a producer after a higher one in one run (a pipeline keyed otherwise), the
 * record fails permanently with a message saying so, rather than being dropped silently.
 *
 * <p>A record from a source without sequences ({@link Position#NO_SEQUENCE}: NATS core, NSQ) cannot
 * be deduplicated by position: it goes through the topic's ordinary producer, at-least-once.
 *
 * <p>Thread-safe and stateless.
 */
final class ProducerRouter {
    private final String prefix;
    private final boolean dedup;

    ProducerRouter(String pipeline, boolean deadLetter, boolean dedup) {
        this.prefix = "bridge-" + pipeline + (deadLetter ? "-dlq" : "");
        this.dedup = dedup;
    }

    /** Which producer of {@code topic} takes {@code record}. */
    ProducerKey route(String topic, OutboundRecord record) {
        Position source = record.source();
        if (!dedup || !source.hasSequence()) {
            return new ProducerKey(topic, null);
        }
        String key = record.message().key() == null ? "" : record.message().key();
        return new ProducerKey(topic, prefix + "-" + hash(source.partition() + "\n" + key));
    }

    /** Whether {@code record} goes through a deduplicating producer. */
    boolean deduplicates(OutboundRecord record) {
        return dedup && record.source().hasSequence();
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
         * equals and hashCode are written out: a record's generated ones run through method handles, and
         * a JFR profile of the JetStream -> Pulsar benchmark put 6.5% of the daemon's samples in them, on
         * the producer lookup done for every record sent. With these the lookup took 4.5%; the throughput
         * ratio did not move beyond the run-to-run noise.
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
