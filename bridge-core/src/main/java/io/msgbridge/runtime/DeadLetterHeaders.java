package io.msgbridge.runtime;

import io.msgbridge.spi.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * The names of the headers a dead-lettered record carries (after Kafka Connect's
 * {@code DeadLetterQueueReporter}), in one place for the runtime that writes them and the tools that
 * read them back.
 */
public final class DeadLetterHeaders {
    /** The prefix of every error header. */
    public static final String PREFIX = "bridge.error.";
    /** The pipeline the record failed in. */
    public static final String PIPELINE = PREFIX + "pipeline";
    /** The source's backend description and the record's topic, e.g. {@code nats:stream ORDERS orders.eu}. */
    public static final String SOURCE = PREFIX + "source";
    /** The record's topic or subject alone, as read from the source (replay publishes it there again). */
    public static final String TOPIC = PREFIX + "topic";
    /** The source partition (JetStream stream, Pulsar topic partition). */
    public static final String PARTITION = PREFIX + "partition";
    /** The source position token (JetStream stream sequence, Pulsar MessageId). */
    public static final String POSITION = PREFIX + "position";
    /** Where it failed: {@code source}, {@code key} or {@code sink}. */
    public static final String STAGE = PREFIX + "stage";
    /** The class of the last error. */
    public static final String CLASS = PREFIX + "class";
    /** The last error's message, on one line, at most 1000 characters. */
    public static final String MESSAGE = PREFIX + "message";
    /** Failed attempts in all, across replays. */
    public static final String ATTEMPTS = PREFIX + "attempts";
    /** When the record first failed (ISO-8601), kept across replays. */
    public static final String FIRST_FAILED_AT = PREFIX + "first-failed-at";
    /** When the record last failed (ISO-8601). */
    public static final String LAST_FAILED_AT = PREFIX + "last-failed-at";
    /** How many times {@code bridge dlq replay} has sent the record back; absent before the first replay. */
    public static final String REPLAYS = "bridge.replays";

    private DeadLetterHeaders() {
    }

    /** The headers without the dead-letter ones: what the record carried before it failed. */
    public static Headers original(Headers headers) {
        List<Headers.Header> kept = new ArrayList<>(headers.size());
        for (Headers.Header h : headers.entries()) {
            if (!h.name().startsWith(PREFIX) && !h.name().equals(REPLAYS)) {
                kept.add(h);
            }
        }
        return Headers.of(kept);
    }
}
