package io.msgbridge.nsq;

import io.msgbridge.spi.BridgeException;

import java.time.Duration;
import java.util.List;

/**
 * Records written as one command ({@code PUB}, {@code DPUB} or {@code MPUB}) and so confirmed or
 * refused by one reply.
 */
record PublishBatch(String topic, Duration defer, List<PendingPublish> records) {
    PublishBatch {
        records = List.copyOf(records);
    }

    String verb() {
        if (!defer.isZero()) {
            return "DPUB";
        }
        return records.size() == 1 ? "PUB" : "MPUB";
    }

    byte[] command() {
        return switch (verb()) {
            case "DPUB" -> Commands.dpub(topic, defer, records.get(0).body());
            case "PUB" -> Commands.pub(topic, records.get(0).body());
            default -> Commands.mpub(topic, records.stream().map(PendingPublish::body).toList());
        };
    }

    void confirm() {
        records.forEach(r -> r.result().complete(null));
    }

    void fail(BridgeException error) {
        records.forEach(r -> r.result().completeExceptionally(error));
    }
}
