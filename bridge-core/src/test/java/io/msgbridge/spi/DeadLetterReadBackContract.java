package io.msgbridge.spi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a backend's dead-letter route read back for {@code bridge dlq list|replay} promises: the reader
 * reads what the route held when it started, with the error headers, and nothing written later; started
 * at a stored position, it reads what came after it; a route whose name depends on the record (a
 * template) cannot be read back; and reading leaves nothing behind on the broker. A backend's
 * integration test extends this class and supplies a route, a sink writing to it and its reader.
 */
public abstract class DeadLetterReadBackContract {
    protected static final Duration CONFIRM = Duration.ofSeconds(20);

    /** A new, empty route (topic) on the backend's test broker. */
    protected abstract String newRoute() throws Exception;

    /** A new, unstarted sink that writes to {@code route}. */
    protected abstract Sink sink(String route);

    /** The reader of {@code route}; empty when the route cannot be read back. */
    protected abstract Optional<Connector.SourceSpec> readBack(String route);

    /** More checks of where each record read back says it is; none by default. */
    protected void assertPartition(SourceRecord record, String route) {
    }

    /** Checks that reading {@code route} back left nothing on the broker (a subscription, a group); none by default. */
    protected void assertNothingLeftOn(String route) {
    }

    /** Polls {@code source} until it reports no lag, then checks that nothing more comes; everything it read. */
    protected static List<SourceRecord> readUntilDone(Source source) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + CONFIRM.toNanos();
        while (source.lag() != 0 && System.nanoTime() < deadline) {
            all.addAll(source.poll(2, Duration.ofMillis(200)));
        }
        assertThat(source.lag()).as("lag once everything was read").isZero();
        assertThat(source.poll(10, Duration.ofMillis(100))).isEmpty();
        return all;
    }

    protected static String body(SourceRecord record) {
        return new String(record.message().payload(), StandardCharsets.UTF_8);
    }

    private static void deadLetter(Sink sink, int i) {
        Message message = new Message("orders", "k" + i, ("dead" + i).getBytes(StandardCharsets.UTF_8),
                Headers.of("bridge.error.stage", "sink", "bridge.error.position", Integer.toString(i)), null);
        assertThat(sink.publish(new OutboundRecord(message, "p/orders-0/" + i, new Position("orders-0", Integer.toString(i), i))))
                .succeedsWithin(CONFIRM);
    }

    @Test
    void readsWhatTheRouteHeldAtStartWithItsErrorHeadersAndNothingWrittenLater() throws Exception {
        String route = newRoute();
        Sink sink = sink(route);
        sink.start(new SinkContext("readback", SinkContext.Role.DEAD_LETTER));
        Connector.SourceSpec reader = readBack(route).orElseThrow();
        try {
            for (int i = 0; i < 5; i++) {
                deadLetter(sink, i);
            }
            Source source = reader.create();
            source.start(new SourceContext("orders~list", SourceContext.Resume.STORE, Map.of(), 100));
            deadLetter(sink, 5);

            List<SourceRecord> records = readUntilDone(source);
            source.close();

            assertThat(records).extracting(DeadLetterReadBackContract::body)
                    .containsExactlyInAnyOrder("dead0", "dead1", "dead2", "dead3", "dead4");
            SourceRecord first = records.getFirst();
            assertThat(first.message().headers().first("bridge.error.stage")).contains("sink");
            assertThat(first.message().key()).isEqualTo("k" + body(first).substring("dead".length()));
            records.forEach(record -> assertPartition(record, route));
            SourceRecord last = records.getLast();

            Source resumed = reader.create();
            resumed.start(new SourceContext("orders~replay", SourceContext.Resume.STORE,
                    Map.of(last.position().partition(), last.position()), 100));
            List<SourceRecord> after = readUntilDone(resumed);
            resumed.close();
            assertThat(after).extracting(SourceRecord::position).doesNotContain(last.position());
            assertThat(after).extracting(DeadLetterReadBackContract::body).contains("dead5").doesNotContain(body(last));
        } finally {
            sink.close();
        }
        assertNothingLeftOn(route);
    }

    @Test
    void aRouteNamedAfterEachRecordsTopicCannotBeReadBack() {
        assertThat(readBack("{topic}-dlq")).isEmpty();
    }
}
