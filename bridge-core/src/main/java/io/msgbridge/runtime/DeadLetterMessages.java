package io.msgbridge.runtime;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;

/**
 * Builds the message a dead-letter route receives: the original payload, key and headers, plus the
 * {@code bridge.error.*} headers of {@link DeadLetterHeaders} naming the pipeline, source (backend and
 * topic), topic, partition, position, stage, error class and message, attempts and when it first and
 * last failed (after Kafka Connect's {@code DeadLetterQueueReporter}). Earlier error headers of the
 * same names are replaced.
 */
final class DeadLetterMessages {
    private static final int MAX_MESSAGE = 1000;

    private DeadLetterMessages() {
    }

    static Message of(InFlightRecord record, String pipeline, String sourceDescription) {
        Message original = record.source.message();
        Throwable error = record.lastError;
        Headers headers = original.headers()
                .with(DeadLetterHeaders.PIPELINE, pipeline)
                .with(DeadLetterHeaders.SOURCE, sourceDescription + " " + original.topic())
                .with(DeadLetterHeaders.TOPIC, original.topic())
                .with(DeadLetterHeaders.PARTITION, record.source.position().partition())
                .with(DeadLetterHeaders.POSITION, record.source.position().offset())
                .with(DeadLetterHeaders.STAGE, record.failedStage.label())
                .with(DeadLetterHeaders.CLASS, error.getClass().getName())
                .with(DeadLetterHeaders.MESSAGE, singleLine(String.valueOf(error.getMessage())))
                .with(DeadLetterHeaders.ATTEMPTS, Integer.toString(Math.max(1, record.attempts)))
                .with(DeadLetterHeaders.FIRST_FAILED_AT, record.firstFailedAt.toString())
                .with(DeadLetterHeaders.LAST_FAILED_AT, record.lastFailedAt.toString());
        return original.withHeaders(headers);
    }

    private static String singleLine(String text) {
        String line = text.replace('\r', ' ').replace('\n', ' ');
        return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) : line;
    }
}
