package io.msgbridge.rocketmq;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A sink's destination topic: fixed ({@code orders}) or a template in which {@code {topic}} stands for
 * the record's source topic (or subject) and {@code {name}} for its last {@code /}-separated segment.
 * Characters RocketMQ does not allow in a topic name ({@code .} of a NATS subject, {@code /} and {@code :}
 * of a Pulsar topic) become {@code _} when a template is filled in. Immutable and thread-safe.
 */
public final class TopicTemplate {
    /** RocketMQ's rule for topic names (the client refuses others). */
    static final Pattern VALID = Pattern.compile("[%|a-zA-Z0-9_-]{1,127}");
    private static final Pattern INVALID_CHAR = Pattern.compile("[^%|a-zA-Z0-9_-]");
    private static final String TOPIC = "{topic}";
    private static final String NAME = "{name}";

    private final String template;
    private final boolean fixed;

    private TopicTemplate(String template) {
        this.template = Objects.requireNonNull(template, "template");
        this.fixed = !template.contains(TOPIC) && !template.contains(NAME);
    }

    public static TopicTemplate of(String template) {
        return new TopicTemplate(template);
    }

    public boolean fixed() {
        return fixed;
    }

    /** The destination topic for a record read from {@code sourceTopic}. */
    public String render(String sourceTopic) {
        if (fixed) {
            return template;
        }
        String name = sourceTopic.substring(sourceTopic.lastIndexOf('/') + 1);
        return template.replace(TOPIC, INVALID_CHAR.matcher(sourceTopic).replaceAll("_"))
                .replace(NAME, INVALID_CHAR.matcher(name).replaceAll("_"));
    }

    /** Why this template cannot make a valid topic name, or null when it can. */
    public String problem() {
        String sample = render("x");
        return VALID.matcher(sample).matches() ? null
                : "must be 1 to 127 of the characters a-z A-Z 0-9 _ - % | (besides {topic} and {name})";
    }

    @Override
    public String toString() {
        return template;
    }
}
