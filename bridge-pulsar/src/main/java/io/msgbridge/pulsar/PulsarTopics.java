package io.msgbridge.pulsar;

import io.msgbridge.backend.DestinationTemplate;

/** Pulsar's rule for the topic names a sink's destination template may make. */
final class PulsarTopics {
    static final DestinationTemplate.Names NAMES = topic -> {
        if (topic.isBlank()) {
            return "must not be empty";
        }
        return topic.chars().anyMatch(Character::isWhitespace) ? "must not contain white space" : null;
    };

    private PulsarTopics() {
    }
}
