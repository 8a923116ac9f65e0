package io.msgbridge.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sink's destination topic: fixed ({@code orders}) or a template in which {@code {topic}} stands for the
 * record's source topic (or subject) and {@code {name}} for its last {@code /}-separated segment (the local
 * name of a Pulsar topic, the whole of a NATS subject or Kafka topic), so {@code {name}-copy} or
 * {@code mirror.{topic}} rename topics. An optional regex {@link Rewrite} is applied to the source topic
 * first. The backend's {@link Names} say which destination names its broker accepts and how a source topic
 * is made to fit into one. Immutable and thread-safe.
 */
public final class DestinationTemplate {
    private static final String TOPIC = "{topic}";
    private static final String NAME = "{name}";

    private final String template;
    private final Optional<Rewrite> rewrite;
    private final Names names;
    private final boolean fixed;

    /** A backend's rule for destination names. */
    public interface Names {
        /** Why {@code name} is not a destination the backend accepts (what it accepts), or null when it is. */
        String problem(String name);

        /**
         * The text that stands for {@code {topic}} or {@code {name}} when {@code sourceText} fills it in; by
         * default the text as it is.
         */
        default String fit(String sourceText) {
            return sourceText;
        }
    }

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

    private DestinationTemplate(String template, Optional<Rewrite> rewrite, Names names) {
        this.template = Objects.requireNonNull(template, "template");
        this.rewrite = Objects.requireNonNull(rewrite, "rewrite");
        this.names = Objects.requireNonNull(names, "names");
        this.fixed = !template.contains(TOPIC) && !template.contains(NAME);
    }

    public static DestinationTemplate of(String template, Names names) {
        return new DestinationTemplate(template, Optional.empty(), names);
    }

    public static DestinationTemplate of(String template, Optional<Rewrite> rewrite, Names names) {
        return new DestinationTemplate(template, rewrite, names);
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
        return template.replace(TOPIC, names.fit(topic)).replace(NAME, names.fit(name));
    }

    /** Why this template cannot make a destination name, or null when it can. */
    public String problem() {
        return names.problem(render("x"));
    }

    @Override
    public String toString() {
        return template;
    }
}
