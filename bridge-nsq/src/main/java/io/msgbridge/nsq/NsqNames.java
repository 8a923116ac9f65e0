package io.msgbridge.nsq;

import io.msgbridge.backend.DestinationTemplate;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** NSQ's rule for topic and channel names: {@code [.a-zA-Z0-9_-]}, 1 to 64 characters, optionally {@code #ephemeral}. */
final class NsqNames {
    private static final Pattern NAME = Pattern.compile("^[.a-zA-Z0-9_-]+(#ephemeral)?$");
    static final String RULE = "must be 1-64 characters of [.a-zA-Z0-9_-], optionally ending in #ephemeral";

    /**
     * {@code {topic}} and {@code {subject}} both stand for the record's source topic or subject (NATS subjects such as
     * {@code a.b} are valid NSQ topic names); there is no {@code {name}}.
     */
    static final DestinationTemplate.Placeholders PLACEHOLDERS = new DestinationTemplate.Placeholders(List.of("{topic}", "{subject}"), Optional.empty());

    /** The topics a sink may publish to. */
    static final DestinationTemplate.Names NAMES = topic -> valid(topic) ? null : RULE;

    private NsqNames() {
    }

    /** A sink's topic: fixed ({@code dlq_orders}) or a template ({@code mirror.{topic}}). */
    static DestinationTemplate template(String topic) {
        return DestinationTemplate.of(topic, PLACEHOLDERS, NAMES);
    }

    static boolean valid(String name) {
        return name != null && !name.isEmpty() && name.length() <= 64 && NAME.matcher(name).matches();
    }
}
