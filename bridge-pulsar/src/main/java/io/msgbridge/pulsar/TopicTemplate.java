package io.msgbridge.pulsar;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sink's destination topic: fixed ({@code persistent://public/default/orders}) or a template in which
 * {@code {topic}} stands for the record's source topic (or subject) and {@code {name}} for its last
 * {@code /}-separated segment (the local name of a Pulsar topic, the whole of a NATS subject), so
 * {@code persistent://public/mirror/{name}} or {@code {topic}-copy} rename topics by prefix or suffix.
 * An optional regex {@link Rewrite} is applied to the source topic first. Immutable and thread-safe.
 */
public final class TopicTemplate {
    private static final String TOPIC = "{topic}";
    private static final String NAME = "{name}";

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

    private TopicTemplate(String template, Optional<Rewrite> rewrite) {
        this.template = Objects.requireNonNull(template, "template");
        this.rewrite = Objects.requireNonNull(rewrite, "rewrite");
        this.fixed = !template.contains(TOPIC) && !template.contains(NAME);
    }

    public static TopicTemplate of(String template) {
        return new TopicTemplate(template, Optional.empty());
    }

    public static TopicTemplate of(String template, Optional<Rewrite> rewrite) {
        return new TopicTemplate(template, rewrite);
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

    /** Why this template cannot make a topic name, or null when it can. */
    public String problem() {
        String sample = render("x");
        if (sample.isBlank()) {
            return "must not be empty";
        }
        if (sample.chars().anyMatch(Character::isWhitespace)) {
            return "must not contain white space";
        }
        return null;
    }

    @Override
    public String toString() {
        return template;
    }
}
