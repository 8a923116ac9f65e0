package io.msgbridge.kafka;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sink's destination topic: fixed ({@code orders}) or a template in which {@code {topic}} stands for the
 * record's source topic (or subject) and {@code {name}} for its last {@code /}-separated segment (the local
 * name of a Pulsar topic, the whole of a NATS subject or Kafka topic), so {@code {name}-copy} or
 * {@code mirror.{topic}} rename topics. An optional regex {@link Rewrite} is applied to the source topic
 * first. Immutable and thread-safe.
 */
public final class KafkaTopicTemplate {
    private static final String TOPIC = "{topic}";
    private static final String NAME = "{name}";
    /** Kafka's rule for topic names ({@code org.apache.kafka.common.internals.Topic}). */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String template;
    private final Optional<Rewrite> rewrite;
    private final boolean fixed;

    /**
     * A regex rewrite of the source topic before it is put into the template.
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
    }

    private KafkaTopicTemplate(String template, Optional<Rewrite> rewrite) {
        this.template = Objects.requireNonNull(template, "template");
        this.rewrite = Objects.requireNonNull(rewrite, "rewrite");
        this.fixed = !template.contains(TOPIC) && !template.contains(NAME);
    }

    public static KafkaTopicTemplate of(String template) {
        return new KafkaTopicTemplate(template, Optional.empty());
    }

    public static KafkaTopicTemplate of(String template, Optional<Rewrite> rewrite) {
        return new KafkaTopicTemplate(template, rewrite);
    }

    /** Whether the destination does not depend on the record. */
    public boolean fixed() {
        return fixed;
    }

    /** The destination topic for a record read from {@code sourceTopic}. */
    public String render(String sourceTopic) {
        if (fixed) {
            return template;
        }
        String topic = rewrite.map(r -> r.apply(sourceTopic)).orElse(sourceTopic);
        String name = topic.substring(topic.lastIndexOf('/') + 1);
        return template.replace(TOPIC, topic).replace(NAME, name);
    }

    /** Whether {@code topic} is a name Kafka accepts. */
    static boolean legal(String topic) {
        return LEGAL.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }

    /** Why this template cannot make a topic name, or null when it can. */
    public String problem() {
        String sample = render("x");
        if (!legal(sample)) {
            return "a Kafka topic has 1 to 249 of the characters a-z A-Z 0-9 . _ - (and is not . or ..)";
        }
        return null;
    }

    @Override
    public String toString() {
        return template;
    }
}
