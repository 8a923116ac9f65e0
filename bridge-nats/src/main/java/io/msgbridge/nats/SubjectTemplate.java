package io.msgbridge.nats;

import java.util.Objects;

/**
 * A sink's subject: fixed ({@code dlq.orders}) or with {@code {subject}} / {@code {topic}} standing for
 * the record's topic ({@code mirror.{subject}}). Immutable and thread-safe.
 */
public final class SubjectTemplate {
    private static final String SUBJECT = "{subject}";
    private static final String TOPIC = "{topic}";

    private final String template;
    private final boolean fixed;

    private SubjectTemplate(String template) {
        this.template = Objects.requireNonNull(template, "template");
        this.fixed = !template.contains(SUBJECT) && !template.contains(TOPIC);
    }

    public static SubjectTemplate of(String template) {
        return new SubjectTemplate(template);
    }

    /** The subject for a record read from {@code topic}. */
    public String render(String topic) {
        if (fixed) {
            return template;
        }
        return template.replace(SUBJECT, topic).replace(TOPIC, topic);
    }

    /**
     * Why this template cannot make a valid subject, or null when it can: no white space, no empty
     * tokens, and no wildcards (a publish subject must be literal).
     */
    public String problem() {
        String sample = render("x");
        if (sample.isEmpty()) {
            return "must not be empty";
        }
        if (sample.chars().anyMatch(Character::isWhitespace)) {
            return "must not contain white space";
        }
        for (String token : sample.split("\\.", -1)) {
            if (token.isEmpty()) {
                return "must not have an empty token (leading, trailing or double dot)";
            }
        }
        return hasWildcard(sample) ? "must not contain wildcards: a sink publishes to a literal subject" : null;
    }

    /** Whether {@code subject} has a {@code *} or {@code >} token, so that it matches more than one subject. */
    public static boolean hasWildcard(String subject) {
        for (String token : subject.split("\\.", -1)) {
            if (token.equals("*") || token.equals(">")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return template;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectTemplate other && other.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }
}
