package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SinkContext;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class JetStreamSinkTest {
    private Connection conn;
    private String stream;
    private NatsSink sink;

    @BeforeEach
    void connect() throws Exception {
        conn = SharedNats.connect();
        stream = SharedNats.unique();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (sink != null) {
            sink.close();
        }
        SharedNats.deleteStream(conn, stream);
        conn.close();
    }

    private NatsSink started(NatsSinkOptions options) throws InterruptedException {
        sink = new NatsSink(SharedNats.options(), options);
        sink.start(new SinkContext("p1", SinkContext.Role.SINK));
        return sink;
    }

    private static OutboundRecord record(String topic, byte[] payload, String id) {
        return new OutboundRecord(Message.of(topic, payload), id, new Position("p", "1", 1));
    }

    @Test
    void theSameIdPublishedTwiceIsStoredOnce() throws Exception {
        SharedNats.createStream(conn, stream, stream + ".>");
        NatsSink sink = started(NatsSinkOptions.of(stream + ".out", SinkMode.JETSTREAM));

        assertThat(sink.publish(record("in", new byte[] {1}, "id-1"))).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(sink.publish(record("in", new byte[] {1}, "id-1"))).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(sink.publish(record("in", new byte[] {2}, "id-2"))).succeedsWithin(10, TimeUnit.SECONDS);

        assertThat(conn.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount()).isEqualTo(2);
        assertThat(conn.jetStreamManagement().getMessage(stream, 1).getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("id-1");
    }

    @Test
    void noStreamForTheSubjectIsAnUnavailableDestinationNamingTheSubjectSoNothingIsDeadLettered() throws Exception {
        NatsSink sink = started(NatsSinkOptions.of(stream + ".nowhere", SinkMode.JETSTREAM));

        assertThat(sink.publish(record("in", new byte[] {1}, "id")))
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(RetriableException.class)
                .withMessageContaining("subject " + stream + ".nowhere")
                .withMessageContaining("create a stream")
                .satisfies(e -> assertThat(((RetriableException) e).unavailable()).as("unavailable: retried without using attempts").isTrue());
    }

    @Test
    void writesThePipelinesKeyInTheKeyHeaderInsteadOfTheMessagesOwn() throws Exception {
        SharedNats.createStream(conn, stream, stream + ".>");
        NatsSink sink = started(NatsSinkOptions.of(stream + ".out", SinkMode.JETSTREAM));
        Message own = new Message("in", "source-key", new byte[] {1}, io.msgbridge.spi.Headers.of("Sharding-Key", "source-key", "a", "b"), null);

        assertThat(sink.publish(new OutboundRecord(own, "document-7", "id-1", new Position("p", "1", 1)))).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(sink.publish(new OutboundRecord(own, null, "id-2", new Position("p", "2", 2)))).succeedsWithin(10, TimeUnit.SECONDS);

        io.nats.client.impl.Headers keyed = conn.jetStreamManagement().getMessage(stream, 1).getHeaders();
        assertThat(keyed.get("Sharding-Key")).containsExactly("document-7");
        assertThat(keyed.getFirst("a")).isEqualTo("b");
        assertThat(conn.jetStreamManagement().getMessage(stream, 2).getHeaders().get("Sharding-Key"))
                .as("no pipeline key: the message's headers as they came").containsExactly("source-key");
    }

    @Test
    void aHeaderNatsCannotCarryFailsThatRecordPermanentlyAndTheNextOneGoesThroughOnceTheRuntimeResumesTheKey() throws Exception {
        SharedNats.createStream(conn, stream, stream + ".>");
        NatsSink sink = started(NatsSinkOptions.of(stream + ".out", SinkMode.JETSTREAM));
        Message bad = new Message("in", null, new byte[] {1}, io.msgbridge.spi.Headers.of("order id", "7"), null);

        assertThat(sink.publish(new OutboundRecord(bad, "id-1", new Position("p", "1", 1))))
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PermanentException.class)
                .withMessageContaining("p1: nats sink")
                .withMessageContaining("header name \"order id\" cannot be sent to NATS");
        assertThat(sink.publish(record("in", new byte[] {2}, "id-2"))).as("before the runtime resumes the key")
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(RetriableException.class).withMessageContaining("an earlier record of its key failed");
        OutboundRecord resuming = new OutboundRecord(Message.of("in", new byte[] {2}), null, "id-2", new Position("p", "2", 2), true);
        assertThat(sink.publish(resuming)).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(conn.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void aDeadLetterRouteTakesTheNextRecordAfterAFailureWithoutWaitingForTheKeyToResume() throws Exception {
        SharedNats.createStream(conn, stream, stream + ".>");
        sink = new NatsSink(SharedNats.options(), NatsSinkOptions.of(stream + ".dlq", SinkMode.JETSTREAM));
        sink.start(new SinkContext("p1", SinkContext.Role.DEAD_LETTER));
        Message bad = new Message("in", null, new byte[] {1}, io.msgbridge.spi.Headers.of("order id", "7"), null);

        assertThat(sink.publish(new OutboundRecord(bad, "id-1", new Position("p", "1", 1)))).failsWithin(10, TimeUnit.SECONDS);
        assertThat(sink.publish(record("in", new byte[] {2}, "id-2"))).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void aMessageAboveTheServersMaxPayloadFailsPermanently() throws Exception {
        SharedNats.createStream(conn, stream, stream + ".>");
        NatsSink sink = started(NatsSinkOptions.of(stream + ".big", SinkMode.JETSTREAM));

        assertThat(sink.publish(record("in", new byte[2 * 1024 * 1024], "id")))
                .failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PermanentException.class)
                .withMessageContaining("too large");
    }

    @Test
    void createStreamCreatesAMissingStreamAtStart() throws Exception {
        CreateStreamOptions create = new CreateStreamOptions(stream, List.of(stream + ".>"), CreateStreamOptions.Storage.MEMORY,
                Duration.ofMinutes(2), Duration.ZERO);
        NatsSink sink = started(NatsSinkOptions.of(stream + ".mirror.{subject}", SinkMode.JETSTREAM).withCreateStream(create));

        assertThat(sink.publish(record("orders.eu", new byte[] {1}, "id"))).succeedsWithin(10, TimeUnit.SECONDS);

        assertThat(conn.jetStreamManagement().getMessage(stream, 1).getSubject()).isEqualTo(stream + ".mirror.orders.eu");
    }

    @Test
    void aCoreSinkCompletesWhenTheClientAcceptedTheMessageAndWritesThePipelinesKey() throws Exception {
        io.nats.client.Subscription sub = conn.subscribe(stream + ".core");
        conn.flush(Duration.ofSeconds(5));
        NatsSink sink = started(NatsSinkOptions.of(stream + ".core", SinkMode.CORE));
        Message own = new Message("in", "source-key", new byte[] {7}, io.msgbridge.spi.Headers.of("Sharding-Key", "source-key"), null);

        assertThat(sink.publish(new OutboundRecord(own, "document-7", "id", new Position("p", "1", 1)))).isCompleted();

        io.nats.client.Message received = sub.nextMessage(Duration.ofSeconds(5));
        assertThat(received).isNotNull();
        assertThat(received.getHeaders().get("Sharding-Key")).containsExactly("document-7");
        assertThat(sink.ordering()).isEqualTo(io.msgbridge.spi.SinkOrdering.pipelined(NatsSink.WINDOW));
    }
}
