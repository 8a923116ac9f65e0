package io.msgbridge.nats;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Source;

import java.util.Optional;

/**
 * The read-back of a JetStream sink ({@link Connector.SinkSpec#reader()}): the stream that captures
 * the sink's subject, read by sequence with direct message gets, so no consumer is created and no
 * other consumer is disturbed. A fixed subject is read as is; a template ending in {@code {subject}}
 * or {@code {topic}} is read with {@code >} in its place. Core-NATS sinks and other templates have no
 * read-back.
 */
final class JetStreamReadBack {
    private JetStreamReadBack() {
    }

    static Optional<Connector.SourceSpec> of(NatsConnectionOptions connection, NatsSinkOptions options) {
        if (options.mode() != SinkMode.JETSTREAM) {
            return Optional.empty();
        }
        return filter(options.subject().toString()).map(subject -> new Connector.SourceSpec() {
            @Override
            public Source create() {
                return new JetStreamReadBackSource(connection, subject,
                        options.createStream().map(CreateStreamOptions::name), Optional.empty());
            }

            @Override
            public String describe() {
                return "nats:read-back " + subject;
            }
        });
    }

    /** The subject filter that matches everything the template can render, if there is one. */
    static Optional<String> filter(String template) {
        for (String placeholder : new String[] {"{subject}", "{topic}"}) {
            int at = template.indexOf(placeholder);
            if (at >= 0) {
                String rest = template.substring(at + placeholder.length());
                String prefix = template.substring(0, at);
                return rest.isEmpty() && !prefix.contains("{") ? Optional.of(prefix + ">") : Optional.empty();
            }
        }
        return Optional.of(template);
    }
}
