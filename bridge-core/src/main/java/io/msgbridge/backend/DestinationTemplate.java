package io.msgbridge.backend;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sink's destination: fixed ({@code orders}) or a template whose {@link Placeholders} the record's source
 * topic (or subject) fills in. With the default placeholders {@code {topic}} stands for the whole source
 * topic and {@code {name}} for its last {@code /}-separated segment (the local name of a Pulsar topic, the
 * whole of a NATS subject or Kafka topic), so {@code {name}-copy} or {@code mirror.{topic}} rename topics;
 * a backend may name its own ({@code {subject}} for NATS). An optional regex {@link Rewrite} is applied to
 * the source topic first. The backend's {@link Names} say which destination names its broker accepts and how
 * a source topic is made to fit into one. Immutable and thread-safe; equal when made from the same text,
 * placeholders, rewrite and names, so a reload sees an unchanged sink as unchanged.
 */
public final class DestinationTemplate {
    private final String template;
    private final Placeholders placeholders;
    private final Optional<Rewrite> rewrite;
    private final Names names;
    private final boolean fixed;

    /** A backend's rule for destination names. */
    public interface Names {
        /** Why {@code name} is not a destination the backend accepts (what it accepts), or null when it is. */
        String problem(String name);

        /**
         * The text that stands for a placeholder when {@code sourceText} fills it in; by default the text as
         * it is.
         */
        default String fit(String sourceText) {
            return sourceText;
        }
    }

    /**
     * The placeholders of a backend's templates.
     *
     * @param topic each stands for the whole source topic (after the rewrite); at least one
     * @param name  stands for the source topic's last {@code /}-separated segment, if the backend has it
     */
    public record Placeholders(List<String> topic, Optional<String> name) {
        /** {@code {topic}} and {@code {name}}, as the Kafka, Pulsar and RocketMQ sinks have them. */
        public static final Placeholders TOPIC_AND_NAME = new Placeholders(List.of("{topic}"), Optional.of("{name}"));

        public Placeholders {
            topic = List.copyOf(topic);
            Objects.requireNonNull(name, "name");
            if (topic.isEmpty()) {
                throw new IllegalArgumentException("at least one placeholder for the topic");
            }
        }

        boolean foundIn(String template) {
            return topic.stream().anyMatch(template::contains) || name.filter(template::contains).isPresent();
        }
    }

    /**
     * A regex rewrite of the source topic before it is put into the template. Equal when the pattern's text
     * and flags and the replacement are.
     *
     * @param pattern     matched against the whole source topic
     * @param replacement the replacement, with {@code $1} for groups; a topic that does not match stays as it is
     */
    public record Rewrite(Pattern pattern, String replacement) {
        public Rewrite {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
        }

        String apply(String topic) {
            Matcher m = pattern.matcher(topic);
            return m.matches() ? m.replaceFirst(replacement) : topic;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rewrite other && other.pattern.pattern().equals(pattern.pattern())
                    && other.pattern.flags() == pattern.flags() && other.replacement.equals(replacement);
        }

        @Override
        public int hashCode() {
            return Objects.hash(pattern.pattern(), pattern.flags(), replacement);
        }
    }

    private DestinationTemplate(String template, Placeholders placeholders, Optional<Rewrite> rewrite, Names names) {
        this.template = Objects.requireNonNull(template, "template");
        this.placeholders = Objects.requireNonNull(placeholders, "placeholders");
        this.rewrite = Objects.requireNonNull(rewrite, "rewrite");
        this.names = Objects.requireNonNull(names, "names");
        this.fixed = !placeholders.foundIn(template);
    }

    /** A template with {@code {topic}} and {@code {name}}. */
    public static DestinationTemplate of(String template, Names names) {
        return new DestinationTemplate(template, Placeholders.TOPIC_AND_NAME, Optional.empty(), names);
    }

    /** A template with {@code {topic}} and {@code {name}}, filled in after {@code rewrite}. */
    public static DestinationTemplate of(String template, Optional<Rewrite> rewrite, Names names) {
        return new DestinationTemplate(template, Placeholders.TOPIC_AND_NAME, rewrite, names);
    }

    /** A template with the backend's own placeholders. */
    public static DestinationTemplate of(String template, Placeholders placeholders, Names names) {
        return new DestinationTemplate(template, placeholders, Optional.empty(), names);
    }

    /** Whether the destination does not depend on the record. */
    public boolean fixed() {
        return fixed;
    }

    /**
     * The one topic a fixed destination names, for a tap to read.
     *
     * @throws IllegalArgumentException for a template: the topics it writes are not known in advance
     */
    public String fixedTopic() {
        if (!fixed) {
            throw new IllegalArgumentException("a topic template names no topic to read; give a topic");
        }
        return template;
    }

    /** The destination topic for a record read from {@code sourceTopic}. */
    public String render(String sourceTopic) {
        if (fixed) {
            return template;
        }
        String topic = rewrite.map(r -> r.apply(sourceTopic)).orElse(sourceTopic);
        String fitted = names.fit(topic);
        String out = template;
        for (String placeholder : placeholders.topic()) {
            out = out.replace(placeholder, fitted);
        }
        if (placeholders.name().isPresent()) {
            out = out.replace(placeholders.name().get(), names.fit(topic.substring(topic.lastIndexOf('/') + 1)));
        }
        return out;
    }

    /** Why this template cannot make a destination name, or null when it can. */
    public String problem() {
        return names.problem(render("x"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DestinationTemplate other && other.template.equals(template) && other.placeholders.equals(placeholders)
                && other.rewrite.equals(rewrite) && other.names.equals(names);
    }

    @Override
    public int hashCode() {
        return Objects.hash(template, placeholders, rewrite);
    }

    @Override
    public String toString() {
        return template;
    }
}
