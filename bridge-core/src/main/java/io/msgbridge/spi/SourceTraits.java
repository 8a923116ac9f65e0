package io.msgbridge.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What a checked {@code from:} section tells {@code bridge validate}'s lint about the records it will
 * read ({@link Connector.SourceSpec#traits()}). Only for warnings: the runtime never reads it.
 * {@link #UNKNOWN} claims nothing, so no warning comes of it.
 *
 * @param nativeKeys whether records may carry a backend key ({@code key: native}); false for a backend
 *                   whose messages have none (NSQ)
 * @param manyTopics whether records of one source partition may come from different topics or subjects,
 *                   so that {@code key: subject}/{@code topic} tells them apart; false when the section
 *                   reads one topic or one subject without wildcards
 * @param sequenced  whether positions carry a sequence ({@link Position#sequence()}); false for NATS
 *                   core and NSQ
 * @param atMostOnce whether the source loses what arrives while the daemon is down (NATS core)
 * @param sharing    the option that shares the records with other consumers (a queue group, a shared
 *                   subscription), if the section sets one
 */
public record SourceTraits(boolean nativeKeys, boolean manyTopics, boolean sequenced, boolean atMostOnce,
                           Optional<Sharing> sharing) {
    /** Claims nothing. */
    public static final SourceTraits UNKNOWN = new SourceTraits(true, true, true, false, Optional.empty());

    public SourceTraits {
        Objects.requireNonNull(sharing, "sharing");
    }

    /**
     * Records shared between the consumers of a group, so that other daemons get some of them.
     *
     * @param option        the section's key that asks for it, e.g. {@code queue-group}
     * @param perNativeKey  whether the broker gives all records of a backend key to one consumer
     *                      (Pulsar's {@code key_shared}), which keeps {@code key: native} in order
     */
    public record Sharing(String option, boolean perNativeKey) {
        public Sharing {
            Objects.requireNonNull(option, "option");
        }
    }
}
