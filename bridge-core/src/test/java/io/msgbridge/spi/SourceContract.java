package io.msgbridge.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link Source} promises, whatever its broker. A backend's integration test
 * extends this class and supplies an unstarted source and a way to write to what it reads.
 *
 * <p>The source is started before anything is produced, so that sources without replay (NATS core)
 * can pass too.
 */
public abstract class SourceContract {
    private final List<Source> started = new ArrayList<>();

    /** A new, unstarted source reading {@link #topic()}. */
    protected abstract Source newSource();

    /** The topic or subject the source reads and {@link #produce} writes to. */
    protected abstract String topic();

    /** Writes the messages to the broker, in order, where the source reads them. Returns when the broker has them. */
    protected abstract void produce(List<Message> messages) throws Exception;

    /** Whether the backend carries keys and headers (NSQ does not). */
    protected boolean carriesKeysAndHeaders() {
        return true;
    }

    /** How two positions of one partition compare in source order; by sequence unless overridden. */
    protected Comparator<Position> positionOrder() {
        return Comparator.comparingLong(Position::sequence);
    }

    /** The context the source is started with. */
    protected SourceContext context() {
        return new SourceContext("contract-" + UUID.randomUUID().toString().substring(0, 8), SourceContext.Resume.BROKER, Map.of(), 1000);
    }

    /** How long the broker may take to hand over what was produced. */
    protected Duration deliveryDeadline() {
        return Duration.ofSeconds(20);
    }

    protected final Source startedSource() throws InterruptedException {
        Source source = newSource();
        started.add(source);
        source.start(context());
        return source;
    }

    @AfterEach
    public void closeSources() {
        started.forEach(Source::close);
    }

    /** Polls until {@code count} records arrived or the deadline passed; acks each. */
    protected final List<SourceRecord> pollUntil(Source source, int count) throws InterruptedException {
        List<SourceRecord> received = new ArrayList<>();
        long deadline = System.nanoTime() + deliveryDeadline().toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            List<SourceRecord> batch = source.poll(count - received.size(), Duration.ofMillis(200));
            assertThat(batch).as("poll never returns null").isNotNull();
            batch.forEach(r -> r.ack().done());
            received.addAll(batch);
        }
        assertThat(received).as("records received within %s (expected %d, got %d)", deliveryDeadline(), count, received.size())
                .hasSize(count);
        return received;
    }

    protected final List<Message> messages(int count, String prefix) {
        List<Message> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(Message.of(topic(), (prefix + i).getBytes(StandardCharsets.UTF_8)));
        }
        return list;
    }

    @Test
    public void deliversWhatWasProducedInOrderWithIncreasingPositions() throws Exception {
        Source source = startedSource();
        produce(messages(50, "m"));

        List<SourceRecord> records = pollUntil(source, 50);

        assertThat(records).extracting(r -> new String(r.message().payload(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(messages(50, "m").stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList());
        assertThat(records).allSatisfy(r -> {
            assertThat(r.message().topic()).isEqualTo(topic());
            assertThat(r.attempts()).isGreaterThanOrEqualTo(1);
        });
        Map<String, Position> last = new HashMap<>();
        for (SourceRecord r : records) {
            Position previous = last.put(r.position().partition(), r.position());
            if (previous != null) {
                assertThat(positionOrder().compare(previous, r.position()))
                        .as("position %s comes after %s", r.position(), previous).isLessThan(0);
            }
        }
    }

    @Test
    public void carriesKeyAndHeadersOfProducedMessages() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(carriesKeysAndHeaders(), "backend carries no keys or headers");
        Source source = startedSource();
        produce(List.of(new Message(topic(), "key-1", "v".getBytes(StandardCharsets.UTF_8), Headers.of("h1", "a", "h2", "b"), null)));

        SourceRecord record = pollUntil(source, 1).get(0);

        assertThat(record.message().key()).isEqualTo("key-1");
        assertThat(record.message().headers().first("h1")).contains("a");
        assertThat(record.message().headers().first("h2")).contains("b");
    }

    @Test
    public void pollReturnsAtMostMaxRecords() throws Exception {
        Source source = startedSource();
        produce(messages(20, "x"));
        await().atMost(deliveryDeadline()).untilAsserted(() -> {
            List<SourceRecord> batch = source.poll(5, Duration.ofMillis(200));
            assertThat(batch).hasSizeLessThanOrEqualTo(5).isNotEmpty();
        });
    }

    @Test
    public void pollReturnsAnEmptyListWhenNothingArrivesInTime() throws Exception {
        Source source = startedSource();
        long start = System.nanoTime();

        List<SourceRecord> batch = source.poll(10, Duration.ofMillis(300));

        assertThat(batch).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    public void closeMakesABlockedPollReturnPromptly() throws Exception {
        Source source = startedSource();
        CompletableFuture<List<SourceRecord>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return source.poll(10, Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());

        source.close();

        assertThat(poll).succeedsWithin(5, TimeUnit.SECONDS);
    }

    @Test
    public void isConnectedAfterStartAndNotAfterClose() throws Exception {
        Source source = startedSource();
        assertThat(source.connected()).isTrue();

        source.close();

        assertThat(source.connected()).isFalse();
    }

    @Test
    public void closeIsIdempotentAndCloseBeforeStartDoesNotThrow() throws Exception {
        Source unstarted = newSource();
        unstarted.close();
        Source source = startedSource();
        source.close();
        source.close();
        assertThat(source.connected()).isFalse();
    }
}
