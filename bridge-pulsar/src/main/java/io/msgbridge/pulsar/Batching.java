package io.msgbridge.pulsar;

import java.time.Duration;
import java.util.Objects;

/**
 * A sink's {@code batching} section.
 *
 * @param enabled     whether the producer batches at all
 * @param maxDelay    how long a batch waits for more messages
 * @param maxMessages the most messages in one batch
 * @param keyBased    batch per key ({@code KEY_BASED} batcher): needed when the topic is read by
 *                    {@code key_shared} consumers, so a batch never mixes keys. Per-key order is kept;
 *                    the order across keys in storage may differ from send order.
 */
public record Batching(boolean enabled, Duration maxDelay, int maxMessages, boolean keyBased) {
    public static final Batching DEFAULT = new Batching(true, Duration.ofMillis(1), 1000, false);

    public Batching {
        Objects.requireNonNull(maxDelay, "maxDelay");
    }
}
