package io.msgbridge.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One record in the shape every backend shares.
 *
 * @param topic     the topic (Pulsar, NSQ) or subject (NATS) it was read from or is meant for; never null
 * @param key       the backend's own key (Pulsar key, NATS {@code Sharding-Key} header by default);
 *                  null when the message has none. Keys are strings so that they compare by value.
 * @param payload   the body; never null (an empty body is a zero-length array). Not copied: neither
 *                  side may modify it after handing it over.
 * @param headers   headers or properties; never null
 * @param eventTime when the event happened according to the producer, or null when unknown
 */
public record Message(String topic, String key, byte[] payload, Headers headers, Instant eventTime) {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(headers, "headers");
    }

    public static Message of(String topic, byte[] payload) {
        return new Message(topic, null, payload, Headers.EMPTY, null);
    }

    public Message withTopic(String newTopic) {
        return new Message(newTopic, key, payload, headers, eventTime);
    }

    public Message withHeaders(Headers newHeaders) {
        return new Message(topic, key, payload, newHeaders, eventTime);
    }

    public Message withKey(String newKey) {
        return new Message(topic, newKey, payload, headers, eventTime);
    }

    /** Payload plus header bytes, the measure used by {@code max-in-flight.bytes}. */
    public long sizeInBytes() {
        long size = payload.length;
        for (Headers.Header h : headers.entries()) {
            size += h.name().length() + h.value().length();
        }
        return size;
    }
}
