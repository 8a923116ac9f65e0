package io.msgbridge.deadletter;

import io.msgbridge.runtime.DeadLetterHeaders;
import io.msgbridge.spi.Message;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What the {@code bridge.error.*} headers of a dead-lettered message say about it.
 *
 * @param pipeline      the pipeline it failed in
 * @param source        backend and topic of the source
 * @param topic         the topic it was read from (the dead-letter message's own topic when the header is absent)
 * @param partition     source partition
 * @param position      source position token
 * @param stage         where it failed
 * @param errorClass    the last error's class
 * @param errorMessage  the last error's message
 * @param attempts      failed attempts in all
 * @param replays       how many times it was replayed before (0 when never)
 * @param firstFailedAt when it first failed, or null when unknown
 * @param lastFailedAt  when it last failed, or null when unknown
 */
public record DeadLetter(String pipeline, String source, String topic, String partition, String position,
                         String stage, String errorClass, String errorMessage, int attempts, int replays,
                         Instant firstFailedAt, Instant lastFailedAt) {

    /** Reads the headers of {@code message}; empty when it is not a dead letter (no pipeline header). */
    public static Optional<DeadLetter> of(Message message) {
        var h = message.headers();
        Optional<String> pipeline = h.first(DeadLetterHeaders.PIPELINE);
        if (pipeline.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeadLetter(pipeline.get(),
                h.first(DeadLetterHeaders.SOURCE).orElse(""),
                h.first(DeadLetterHeaders.TOPIC).orElse(message.topic()),
                h.first(DeadLetterHeaders.PARTITION).orElse(""),
                h.first(DeadLetterHeaders.POSITION).orElse(""),
                h.first(DeadLetterHeaders.STAGE).orElse(""),
                h.first(DeadLetterHeaders.CLASS).orElse(""),
                h.first(DeadLetterHeaders.MESSAGE).orElse(""),
                number(h.first(DeadLetterHeaders.ATTEMPTS)),
                number(h.first(DeadLetterHeaders.REPLAYS)),
                instant(h.first(DeadLetterHeaders.FIRST_FAILED_AT)),
                instant(h.first(DeadLetterHeaders.LAST_FAILED_AT))));
    }

    private static int number(Optional<String> text) {
        try {
            return text.map(t -> Integer.parseInt(t.trim())).orElse(0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant instant(Optional<String> text) {
        try {
            return text.map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
