package io.msgbridge.nsq;

import java.util.Objects;

/**
 * A sink's topic: fixed ({@code dlq_orders}) or with {@code {topic}} / {@code {subject}} standing for the
 * record's topic ({@code mirror.{topic}}). NATS subjects such as {@code a.b} are valid NSQ topic names.
 * Immutable and thread-safe.
 */
public final class TopicTemplate {
    private static final String SUBJECT = "{subject}";
    private static final String TOPIC = "{topic}";

    private final String template;
    private final boolean fixed;

    private TopicTemplate(String template) {
        this.template = Objects.requireNonNull(template, "template");
        this.fixed = !template.contains(SUBJECT) && !template.contains(TOPIC);
    }

    public static TopicTemplate of(String template) {
        return new TopicTemplate(template);
    }

    /** Whether the topic does not depend on the record. */
    public boolean fixed() {
        return fixed;
    }

    /** The topic for a record read from {@code topic}; may be invalid when the template is not fixed. */
    public String render(String topic) {
        return fixed ? template : template.replace(SUBJECT, topic).replace(TOPIC, topic);
    }

    /** Why this template cannot make a valid topic name, or null when it can. */
    public String problem() {
        return NsqNames.valid(render("x")) ? null : NsqNames.RULE;
    }

    @Override
    public String toString() {
        return template;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicTemplate other && other.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }
}
