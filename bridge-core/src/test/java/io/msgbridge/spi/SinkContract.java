package io.msgbridge.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link Sink} promises, whatever its broker. A backend's integration test extends
 * this class, supplies an unstarted sink, and reads back what the sink wrote (set up any subscription
 * it needs before the test body runs, e.g. in a {@code @BeforeEach}).
 */
public abstract class SinkContract {
    private final List<Sink> started = new ArrayList<>();

    /** A new, unstarted sink. */
    protected abstract Sink newSink();

    /** The topic of the records the contract publishes (the sink may map it to a destination). */
    protected abstract String topic();

    /** What the sink wrote, in order, waiting up to {@code timeout} for {@code expected} messages. */
    protected abstract List<Message> readBack(int expected, Duration timeout) throws Exception;

    /** Whether the backend carries keys and headers (NSQ does not). */
    protected boolean carriesKeysAndHeaders() {
        return true;
    }

    protected SinkContext context() {
        return new SinkContext("contract-" + UUID.randomUUID().toString().substring(0, 8), SinkContext.Role.SINK);
    }

    protected Duration confirmDeadline() {
        return Duration.ofSeconds(20);
    }

    protected final Sink startedSink() throws InterruptedException {
        Sink sink = newSink();
        started.add(sink);
        sink.start(context());
        return sink;
    }

    @AfterEach
    public void closeSinks() {
        started.forEach(Sink::close);
    }

    protected final OutboundRecord record(Message message, int i) {
        return new OutboundRecord(message, "contract-" + UUID.randomUUID() + "-" + i, new Position("contract", Integer.toString(i), i));
    }

    @Test
    public void publishedRecordsAreConfirmedAndReadBackInOrder() throws Exception {
        Sink sink = startedSink();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(sink.publish(record(Message.of(topic(), ("m" + i).getBytes(StandardCharsets.UTF_8)), i)));
        }

        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)))
                .succeedsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS);
        List<Message> back = readBack(50, confirmDeadline());

        assertThat(back).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
    }

    @Test
    public void keyAndHeadersCrossOver() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(carriesKeysAndHeaders(), "backend carries no keys or headers");
        Sink sink = startedSink();
        Message message = new Message(topic(), "key-7", "v".getBytes(StandardCharsets.UTF_8), Headers.of("h1", "a", "h2", "b"), null);

        assertThat(sink.publish(record(message, 0))).succeedsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS);
        Message back = readBack(1, confirmDeadline()).get(0);

        assertThat(back.key()).isEqualTo("key-7");
        assertThat(back.headers().first("h1")).contains("a");
        assertThat(back.headers().first("h2")).contains("b");
    }

    @Test
    public void anEmptyPayloadIsPublished() throws Exception {
        Sink sink = startedSink();

        assertThat(sink.publish(record(Message.of(topic(), new byte[0]), 0)))
                .succeedsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS);

        assertThat(readBack(1, confirmDeadline()).get(0).payload()).isEmpty();
    }

    @Test
    public void isConnectedAfterStartAndNotAfterClose() throws Exception {
        Sink sink = startedSink();
        assertThat(sink.connected()).isTrue();

        sink.close();

        assertThat(sink.connected()).isFalse();
    }

    @Test
    public void publishAfterCloseFailsTheFutureWithABridgeException() throws Exception {
        Sink sink = startedSink();
        sink.close();

        CompletableFuture<Void> future = sink.publish(record(Message.of(topic(), new byte[] {1}), 0));

        assertThat(future).failsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(BridgeException.class);
    }

    @Test
    public void closeIsIdempotentAndCloseBeforeStartDoesNotThrow() throws Exception {
        newSink().close();
        Sink sink = startedSink();
        sink.close();
        sink.close();
        assertThat(sink.connected()).isFalse();
    }
}
