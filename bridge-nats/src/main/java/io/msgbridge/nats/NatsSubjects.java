package io.msgbridge.nats;

import io.msgbridge.backend.DestinationTemplate;

import java.util.List;
import java.util.Optional;

/** NATS's rule for subjects, and a sink's subject template: {@code {subject}} or {@code {topic}} = the record's topic. */
final class NatsSubjects {
    /** {@code {subject}} and {@code {topic}} both stand for the record's source subject or topic; there is no {@code {name}}. */
    static final DestinationTemplate.Placeholders PLACEHOLDERS = new DestinationTemplate.Placeholders(List.of("{subject}", "{topic}"), Optional.empty());

    /** A subject a sink may publish to: no white space, no empty tokens, and no wildcards (a publish subject must be literal). */
    static final DestinationTemplate.Names NAMES = NatsSubjects::problem;

    private NatsSubjects() {
    }

    /** A sink's subject: fixed ({@code dlq.orders}) or a template ({@code mirror.{subject}}). */
    static DestinationTemplate template(String subject) {
        return DestinationTemplate.of(subject, PLACEHOLDERS, NAMES);
    }

    private static String problem(String subject) {
        if (subject.isEmpty()) {
            return "must not be empty";
        }
        if (subject.chars().anyMatch(Character::isWhitespace)) {
            return "must not contain white space";
        }
        for (String token : subject.split("\\.", -1)) {
            if (token.isEmpty()) {
                return "must not have an empty token (leading, trailing or double dot)";
            }
        }
        return hasWildcard(subject) ? "must not contain wildcards: a sink publishes to a literal subject" : null;
    }

    /** Whether {@code subject} has a {@code *} or {@code >} token, so that it matches more than one subject. */
    static boolean hasWildcard(String subject) {
        for (String token : subject.split("\\.", -1)) {
            if (token.equals("*") || token.equals(">")) {
                return true;
            }
        }
        return false;
    }
}
