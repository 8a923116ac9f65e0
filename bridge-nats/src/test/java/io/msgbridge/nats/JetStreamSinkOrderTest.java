package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JetStream sink pipelines the records of a key and keeps their order when the connection dies
 * with records written into it, records queued in the client, and records published after the drop,
 * given what the runtime does after a failure: publish again from the first failed record, in order.
 */
@Tag("integration")
class JetStreamSinkOrderTest {
    private static final String KEY = "k";
    private static final byte[] PAD = new byte[8 * 1024];

    private static OutboundRecord record(int i) {
        return record(i, false);
    }

    /** Record {@code i} of the one key; {@code resumes} as the runtime marks its first publish after a failure. */
    private static OutboundRecord record(int i, boolean resumes) {
        byte[] payload = ByteBuffer.allocate(4 + PAD.length).putInt(i).put(PAD).array();
        return new OutboundRecord(Message.of("in", payload), KEY, "id-" + i, new Position("p", Integer.toString(i), i), resumes);
    }

    private static boolean failed(CompletableFuture<Void> f) {
        return f.isCompletedExceptionally();
    }

    private static Throwable cause(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void declaresAWindowOfRecordsPerKeyInFlight() {
        NatsSink sink = new NatsSink(SharedNats.options(), NatsSinkOptions.of("x", SinkMode.JETSTREAM));

        assertThat(sink.ordering()).isEqualTo(SinkOrdering.pipelined(NatsSink.WINDOW));
        assertThat(sink.ordering().scope()).isEqualTo(SinkOrdering.Scope.KEY);
    }

    @Test
    void noRecordIsStoredAheadOfAnEarlierOneOfItsKeyWhenTheConnectionDiesWithRecordsInFlight() throws Exception {
        try (NatsTestServer server = NatsTestServer.start(); StallingProxy proxy = new StallingProxy(server.port());
             Connection admin = Nats.connect(server.url())) {
            admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDER").subjects("order.>")
                    .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(5)).build());
            NatsSink sink = new NatsSink(NatsConnectionOptions.of("proxied", proxy.url()).withReconnectWait(Duration.ofMillis(500)),
                    NatsSinkOptions.of("order.out", SinkMode.JETSTREAM).withAckTimeout(Duration.ofSeconds(10)));
            try {
                sink.start(new SinkContext("order", SinkContext.Role.SINK));
                List<CompletableFuture<Void>> outcomes = new ArrayList<>();
                int total = 3000;
                for (int i = 0; i < 1000; i++) {
                    outcomes.add(sink.publish(record(i)));
                }
                proxy.stall();
                for (int i = 1000; i < 2500; i++) {
                    outcomes.add(sink.publish(record(i)));
                }
                proxy.cut();
                await("the sink to notice the drop").atMost(Duration.ofSeconds(10)).until(() -> !sink.connected());
                for (int i = 2500; i < 2800; i++) {
                    outcomes.add(sink.publish(record(i)));
                }
                await("outcomes of every record published so far").atMost(Duration.ofSeconds(30))
                        .until(() -> outcomes.stream().allMatch(CompletableFuture::isDone));
                assertThat(outcomes).as("records lost with the connection").anyMatch(JetStreamSinkOrderTest::failed);
                assertThat(outcomes.stream().filter(JetStreamSinkOrderTest::failed).map(JetStreamSinkOrderTest::cause))
                        .allSatisfy(e -> assertThat(e).isInstanceOf(RetriableException.class));

                await("the sink to dial again").atMost(Duration.ofSeconds(10)).until(sink::connected);
                CompletableFuture<Void> ahead = sink.publish(record(2800));
                assertThat(ahead).as("a record published on the new connection before the runtime resumed the key")
                        .failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOf(RetriableException.class).withMessageContaining("an earlier record of its key failed");
                outcomes.add(ahead);
                for (int i = 2801; i < total; i++) {
                    outcomes.add(sink.publish(record(i)));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.stream().allMatch(CompletableFuture::isDone));

                rewindUntilConfirmed(sink, outcomes);

                assertThat(storedOrder(admin, total)).isEqualTo(IntStream.range(0, total).boxed().toList());
            } finally {
                sink.close();
            }
        }
    }

    /**
     * What the runtime does: from the first failed record on, publish everything again in order, the
     * first marked as resuming the key, until all is confirmed.
     */
    private static void rewindUntilConfirmed(NatsSink sink, List<CompletableFuture<Void>> outcomes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            int first = IntStream.range(0, outcomes.size()).filter(i -> failed(outcomes.get(i))).findFirst().orElse(-1);
            if (first < 0) {
                return;
            }
            assertThat(System.nanoTime()).as("all records confirmed within a minute").isLessThan(deadline);
            for (int i = first; i < outcomes.size(); i++) {
                outcomes.set(i, sink.publish(record(i, i == first)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.stream().allMatch(CompletableFuture::isDone));
        }
    }

    /** The first four bytes (the record's number) of every message of the stream, in stream order. */
    private static List<Integer> storedOrder(Connection admin, int expected) throws Exception {
        JetStreamManagement jsm = admin.jetStreamManagement();
        long count = jsm.getStreamInfo("ORDER").getStreamState().getMsgCount();
        assertThat(count).as("stored messages (copies dropped by Nats-Msg-Id)").isEqualTo(expected);
        List<Integer> order = new ArrayList<>();
        for (long seq = 1; seq <= count; seq++) {
            order.add(ByteBuffer.wrap(jsm.getMessage("ORDER", seq).getData()).getInt());
        }
        return order;
    }
}
