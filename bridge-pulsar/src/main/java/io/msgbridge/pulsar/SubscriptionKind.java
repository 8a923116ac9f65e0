package io.msgbridge.pulsar;

import org.apache.pulsar.client.api.SubscriptionType;

/** The {@code subscription.type} of a Pulsar source, and whether it allows cumulative acks. */
public enum SubscriptionKind {
    EXCLUSIVE(SubscriptionType.Exclusive, true),
    FAILOVER(SubscriptionType.Failover, true),
    SHARED(SubscriptionType.Shared, false),
    KEY_SHARED(SubscriptionType.Key_Shared, false);

    private final SubscriptionType pulsar;
    private final boolean cumulative;

    SubscriptionKind(SubscriptionType pulsar, boolean cumulative) {
        this.pulsar = pulsar;
        this.cumulative = cumulative;
    }

    SubscriptionType pulsar() {
        return pulsar;
    }

    /** Whether acks are cumulative (on commit) rather than individual (on done). */
    public boolean cumulativeAcks() {
        return cumulative;
    }
}
