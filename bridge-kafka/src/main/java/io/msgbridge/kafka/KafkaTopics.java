package io.msgbridge.kafka;

import io.msgbridge.backend.DestinationTemplate;

import java.util.regex.Pattern;

/** Kafka's rule for topic names ({@code org.apache.kafka.common.internals.Topic}), for sources and sinks. */
final class KafkaTopics {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** The names a Kafka sink's destination template may make. */
    static final DestinationTemplate.Names NAMES = topic -> legal(topic) ? null
            : "a Kafka topic has 1 to 249 of the characters a-z A-Z 0-9 . _ - (and is not . or ..)";

    private KafkaTopics() {
    }

    /** Whether {@code topic} is a name Kafka accepts. */
    static boolean legal(String topic) {
        return LEGAL.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }
}
