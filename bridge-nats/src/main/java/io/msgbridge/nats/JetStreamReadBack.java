package io.msgbridge.nats;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Source;

import java.util.Optional;

/**
 * The read-back of a JetStream sink ({@link Connector.SinkSpec#reader()}): the stream that captures
 * the sink's subject, read by sequence with direct message gets, so no consumer is created and no
 * other consumer is disturbed. A fixed subject is read as is; a template ending in {@code {subject}}
 * or {@code {topic}} is read with {@code >} in its place. Core-NATS sinks and other templates have no
 * read-back. A JetStream source is read the same way ({@link Connector.SourceSpec#reader()}): its stream,
 * filtered by its one filter subject if it has one; a core-NATS source, or one with several filter
 * subjects, cannot be.
 */
final class JetStreamReadBack {
    private JetStreamReadBack() {
    }

    static Optional<Connector.SourceSpec> of(NatsConnectionOptions connection, NatsSinkOptions options) {
        if (options.mode() != SinkMode.JETSTREAM) {
            return Optional.empty();
        }
        return filter(options.subject().toString()).map(subject -> new ReadBackSpec(connection, subject,
                JetStreamReadBackSource.StreamChoice.capturing(options.createStream().map(CreateStreamOptions::name)),
                "nats:read-back " + subject));
    }

    static Optional<Connector.SourceSpec> of(NatsConnectionOptions connection, NatsSourceOptions options) {
        if (!(options instanceof JetStreamSourceOptions js) || js.filterSubjects().size() > 1) {
            return Optional.empty();
        }
        String subject = js.filterSubjects().isEmpty() ? ">" : js.filterSubjects().getFirst();
        return Optional.of(new ReadBackSpec(connection, subject, JetStreamReadBackSource.StreamChoice.named(js.stream()),
                "nats:read stream " + js.stream() + (subject.equals(">") ? "" : " " + subject)));
    }

    /**
     * A read-back made of its parts, equal when they are: a pipeline's spec holds it, and a reload keeps a
     * pipeline whose spec is unchanged running.
     */
    private record ReadBackSpec(NatsConnectionOptions connection, String subject, JetStreamReadBackSource.StreamChoice choice,
                                String describe) implements Connector.SourceSpec {
        @Override
        public Source create() {
            return new JetStreamReadBackSource(connection, subject, choice, Optional.empty());
        }
    }

    /** The subject filter that matches everything the template can render, if there is one. */
    static Optional<String> filter(String template) {
        for (String placeholder : NatsSubjects.PLACEHOLDERS.topic()) {
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
