package io.msgbridge.runtime;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;

/**
 * Builds the message a dead-letter route receives: the original payload, key and headers, plus
 * {@code bridge.error.*} headers naming the pipeline, source, position, stage, error and attempts
 * (after Kafka Connect's {@code DeadLetterQueueReporter}).
 */
final class DeadLetterMessages {
    static final String PREFIX = "bridge.error.";

    private DeadLetterMessages() {
    }

    static Message of(InFlightRecord record, String pipeline, String sourceDescription) {
        Message original = record.source.message();
        Throwable error = record.lastError;
        Headers headers = original.headers()
                .with(PREFIX + "pipeline", pipeline)
                .with(PREFIX + "source", sourceDescription + " " + original.topic())
                .with(PREFIX + "partition", record.source.position().partition())
                .with(PREFIX + "position", record.source.position().offset())
                .with(PREFIX + "stage", record.failedStage.label())
                .with(PREFIX + "class", error.getClass().getName())
                .with(PREFIX + "message", singleLine(String.valueOf(error.getMessage())))
                .with(PREFIX + "attempts", Integer.toString(Math.max(1, record.attempts)))
                .with(PREFIX + "first-failed-at", record.firstFailedAt.toString())
                .with(PREFIX + "last-failed-at", record.lastFailedAt.toString());
        return original.withHeaders(headers);
    }

    private static String singleLine(String text) {
        String line = text.replace('\r', ' ').replace('\n', ' ');
        return line.length() > 1000 ? line.substring(0, 1000) : line;
    }
}
