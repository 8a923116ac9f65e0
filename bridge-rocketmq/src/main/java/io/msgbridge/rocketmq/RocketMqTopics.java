package io.msgbridge.rocketmq;

import io.msgbridge.backend.DestinationTemplate;

import java.util.regex.Pattern;

/**
 * RocketMQ's rule for topic names (the client refuses others), for sources and sinks. In a sink's
 * destination template, characters RocketMQ does not allow ({@code .} of a NATS subject, {@code /} and
 * {@code :} of a Pulsar topic) become {@code _} when the source topic fills in {@code {topic}} or {@code {name}}.
 */
final class RocketMqTopics {
    static final Pattern VALID = Pattern.compile("[%|a-zA-Z0-9_-]{1,127}");
    private static final Pattern INVALID_CHAR = Pattern.compile("[^%|a-zA-Z0-9_-]");

    static final DestinationTemplate.Names NAMES = new DestinationTemplate.Names() {
        @Override
        public String problem(String topic) {
            return VALID.matcher(topic).matches() ? null
                    : "must be 1 to 127 of the characters a-z A-Z 0-9 _ - % | (besides {topic} and {name})";
        }

        @Override
        public String fit(String sourceText) {
            return INVALID_CHAR.matcher(sourceText).replaceAll("_");
        }
    };

    private RocketMqTopics() {
    }
}
