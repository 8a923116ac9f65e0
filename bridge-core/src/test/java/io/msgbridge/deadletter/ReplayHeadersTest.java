package io.msgbridge.deadletter;

import io.msgbridge.runtime.DeadLetterHeaders;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How dead letters are read, selected and sent back after a replay fails again. */
class ReplayHeadersTest {
    private static final DeadLetter ORIGIN = new DeadLetter("orders", "nats:stream SRC src.orders", "src.orders", "SRC",
            "42", "sink", "io.msgbridge.spi.PermanentException", "too large", 3, 1,
            Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T10:00:05Z"));

    private static Message failedInReplay() {
        Headers h = Headers.of("trace", "t1")
                .with(DeadLetterHeaders.PIPELINE, "orders~replay")
                .with(DeadLetterHeaders.SOURCE, "replay of nats:read-back dlq.orders src.orders")
                .with(DeadLetterHeaders.TOPIC, "src.orders")
                .with(DeadLetterHeaders.PARTITION, "DLQ")
                .with(DeadLetterHeaders.POSITION, "7")
                .with(DeadLetterHeaders.STAGE, "sink")
                .with(DeadLetterHeaders.CLASS, "io.msgbridge.spi.PermanentException")
                .with(DeadLetterHeaders.MESSAGE, "still too large")
                .with(DeadLetterHeaders.ATTEMPTS, "2")
                .with(DeadLetterHeaders.FIRST_FAILED_AT, "2026-11-24T08:00:00Z")
                .with(DeadLetterHeaders.LAST_FAILED_AT, "2026-11-24T08:00:01Z");
        return new Message("src.orders", "k1", new byte[] {1}, h, null);
    }

    @Test
    void aRecordThatFailsAgainKeepsItsOriginAddsItsAttemptsAndCountsTheReplay() {
        DeadLetter back = DeadLetter.of(ReplayDeadLetterSink.withOrigin(failedInReplay(), ORIGIN)).orElseThrow();

        assertThat(back.pipeline()).isEqualTo("orders");
        assertThat(back.partition()).isEqualTo("SRC");
        assertThat(back.position()).isEqualTo("42");
        assertThat(back.source()).isEqualTo("nats:stream SRC src.orders");
        assertThat(back.attempts()).isEqualTo(5);
        assertThat(back.replays()).isEqualTo(2);
        assertThat(back.firstFailedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(back.lastFailedAt()).isEqualTo(Instant.parse("2026-11-24T08:00:01Z"));
        assertThat(back.errorMessage()).isEqualTo("still too large");
    }

    @Test
    void theOriginalHeadersAreTheOnesWithoutTheDeadLetterHeaders() {
        Headers original = DeadLetterHeaders.original(failedInReplay().headers().with(DeadLetterHeaders.REPLAYS, "1"));

        assertThat(original).isEqualTo(Headers.of("trace", "t1"));
    }

    @Test
    void aFilterSelectsByPipelineTimeKeyAndErrorText() {
        Message m = failedInReplay();
        DeadLetter d = DeadLetter.of(m).orElseThrow();

        assertThat(DeadLetterFilter.all("orders~replay").matches(m, d)).isTrue();
        assertThat(DeadLetterFilter.all("orders").matches(m, d)).isFalse();
        assertThat(new DeadLetterFilter("orders~replay", Optional.of(Instant.parse("2026-11-24T08:00:02Z")),
                Optional.empty(), Optional.empty()).matches(m, d)).isFalse();
        assertThat(new DeadLetterFilter("orders~replay", Optional.empty(), Optional.of("k1"), Optional.of("TOO LARGE"))
                .matches(m, d)).isTrue();
        assertThat(new DeadLetterFilter("orders~replay", Optional.empty(), Optional.of("k2"), Optional.empty())
                .matches(m, d)).isFalse();
    }

    @Test
    void aReplayKeepsItsProgressPerFilter() {
        assertThat(DeadLetterReplay.name("orders", DeadLetterFilter.all("orders"))).isEqualTo("orders~replay");
        assertThat(DeadLetterReplay.name("orders", new DeadLetterFilter("orders", Optional.empty(), Optional.of("k1"),
                Optional.empty()))).matches("orders~replay-[0-9a-f]{8}");
    }

    @Test
    void aMessageWithoutThePipelineHeaderIsNotADeadLetter() {
        assertThat(DeadLetter.of(Message.of("dlq.orders", new byte[0]))).isEmpty();
    }
}
