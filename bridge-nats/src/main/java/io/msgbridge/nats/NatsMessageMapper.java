package io.msgbridge.nats;

import io.msgbridge.backend.InstantText;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates between jnats messages and the bridge's {@link Message}: topic = subject, key = the
 * key header's first value, headers = every NATS header (multi-valued) but the marker of
 * {@link UnreadableHeaders}, payload = data, event time = the {@code Bridge-Event-Time} header when
 * present, else the JetStream timestamp, else null. Thread-safe.
 */
final class NatsMessageMapper {
    /** Carries a record's event time across NATS hops (ISO-8601 instant or epoch milliseconds). */
    static final String EVENT_TIME_HEADER = "Bridge-Event-Time";
    private static final String MSG_ID_HEADER = "Nats-Msg-Id";
    private static final String EXPECTED_PREFIX = "Nats-Expected-";
    private static final byte[] EMPTY = new byte[0];

    private final String keyHeader;
    private final InstantText eventTimes = new InstantText();

    NatsMessageMapper(String keyHeader) {
        this.keyHeader = keyHeader;
    }

    /** A bridge message from a received NATS message; {@code streamTime} is null for core NATS. */
    Message toBridge(io.nats.client.Message in, Instant streamTime) {
        Headers headers = Headers.EMPTY;
        String key = null;
        Instant eventTime = streamTime;
        if (in.hasHeaders()) {
            io.nats.client.impl.Headers natsHeaders = in.getHeaders();
            List<Headers.Header> entries = new ArrayList<>(natsHeaders.size());
            for (Map.Entry<String, List<String>> e : natsHeaders.entrySet()) {
                for (String value : e.getValue()) {
                    if (!UnreadableHeaders.isMarker(e.getKey(), value)) {
                        entries.add(new Headers.Header(e.getKey(), value));
                    }
                }
            }
            headers = Headers.of(entries);
            key = natsHeaders.getFirst(keyHeader);
            String declared = natsHeaders.getFirst(EVENT_TIME_HEADER);
            if (declared != null) {
                Instant parsed = parseEventTime(declared);
                eventTime = parsed != null ? parsed : eventTime;
            }
        }
        byte[] data = in.getData();
        return new Message(in.getSubject(), key, data == null ? EMPTY : data, headers, eventTime);
    }

    /**
     * NATS headers for an outgoing message ({@link WireHeaders}; null when there are none): every
     * bridge header except JetStream publish expectations ({@code Nats-Expected-*}, which belong to the
     * original publish) and a stale {@code Nats-Msg-Id}; then {@code key} (the pipeline's key, which
     * may differ from the message's own) in the key header instead of any the message carried, unless
     * it is null; then the event time, when known and not already carried; then {@code messageId} as
     * the {@code Nats-Msg-Id} unless it is null (core NATS).
     *
     * @throws io.msgbridge.spi.PermanentException when a header cannot be sent to NATS
     */
    io.nats.client.impl.Headers toNats(Message message, String key, String messageId) {
        WireHeaders.Builder out = new WireHeaders.Builder();
        for (Headers.Header h : message.headers().entries()) {
            String name = h.name();
            if (name.equals(MSG_ID_HEADER) || name.startsWith(EXPECTED_PREFIX)
                    || (key != null && name.equals(keyHeader))) {
                continue;
            }
            out.add(name, h.value());
        }
        if (key != null) {
            out.add(keyHeader, key);
        }
        if (message.eventTime() != null && !out.has(EVENT_TIME_HEADER)) {
            out.add(EVENT_TIME_HEADER, eventTimes.of(message.eventTime()));
        }
        if (messageId != null) {
            out.add(MSG_ID_HEADER, messageId);
        }
        return out.build();
    }

    /** An ISO-8601 instant or a number of epoch milliseconds; null when it is neither. */
    static Instant parseEventTime(String value) {
        String v = value.trim();
        try {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(v));
            }
            return Instant.parse(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }
}
