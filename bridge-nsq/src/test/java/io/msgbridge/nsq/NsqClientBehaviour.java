package io.msgbridge.nsq;

import com.fasterxml.jackson.databind.JsonNode;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.msgbridge.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How the NSQ client behaves against an nsqd (the broker a subclass names): RDY as the pipeline's
 * window, redelivery with attempts + 1, TOUCH, hand-back on close, pipelined and deferred publishing.
 */
abstract class NsqClientBehaviour {
    private final List<AutoCloseable> open = new ArrayList<>();
    final String topic = NsqBrokers.uniqueTopic("client");
    static final String CHANNEL = "bridge";

    abstract NsqBroker broker();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    NsqConnectionOptions connection() {
        return NsqConnectionOptions.of(List.of(broker().address()));
    }

    NsqSource source(NsqConnectionOptions options, int window) throws InterruptedException {
        return source(options, window, SourceContext.DEFAULT_READ_AHEAD);
    }

    NsqSource source(NsqConnectionOptions options, int window, long readAhead) throws InterruptedException {
        NsqSource source = new NsqSource(options, new NsqSourceOptions(topic, CHANNEL));
        open.add(source);
        source.start(new SourceContext("behaviour", SourceContext.Resume.BROKER, Map.of(), window, readAhead));
        return source;
    }

    NsqSink sink(NsqSinkOptions options) throws InterruptedException {
        NsqSink sink = new NsqSink(connection(), options);
        open.add(sink);
        sink.start(new SinkContext("behaviour", SinkContext.Role.SINK));
        return sink;
    }

    NsqHttp http() {
        return new NsqHttp(broker());
    }

    JsonNode stats() throws Exception {
        return http().channelStats(topic, CHANNEL);
    }

    void publish(int count) throws Exception {
        http().createChannel(topic, CHANNEL);
        http().mpub(topic, IntStream.range(0, count).mapToObj(i -> ("m" + i).getBytes(StandardCharsets.UTF_8)).toList());
    }

    static OutboundRecord outbound(String topic, byte[] body, int i) {
        return new OutboundRecord(Message.of(topic, body), "behaviour-" + i, new Position("p", Integer.toString(i), i));
    }

    @Test
    void rdyKeepsDeliveriesWithinThePipelinesInFlightWindow() throws Exception {
        publish(100);
        NsqSource source = source(connection(), 10);
        List<SourceRecord> held = new ArrayList<>();

        await("10 records, the window").atMost(Duration.ofSeconds(10)).until(() -> {
            held.addAll(source.poll(100, Duration.ofMillis(50)));
            return held.size() >= 10;
        });
        await("no more than the window while nothing is done").during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> {
                    held.addAll(source.poll(100, Duration.ofMillis(50)));
                    return held.size() == 10;
                });
        assertThat(stats().path("in_flight_count").asInt()).isEqualTo(10);

        held.forEach(r -> r.ack().done());
        await("the next window after FIN").atMost(Duration.ofSeconds(10)).until(() -> {
            held.addAll(source.poll(100, Duration.ofMillis(50)));
            return held.size() == 20;
        });
    }

    @Test
    void largeMessagesAreDeliveredOnlyAsManyAsFitInTheReadAheadBytes() throws Exception {
        int size = 512 * 1024;
        int count = 8;
        http().createChannel(topic, CHANNEL);
        for (int i = 0; i < count; i++) {
            byte[] body = new byte[size];
            body[0] = (byte) i;
            http().pub(topic, body);
        }
        NsqSource source = source(connection(), 100, 1L << 20);
        List<SourceRecord> received = new ArrayList<>();
        while (received.size() < count) {
            List<SourceRecord> held = new ArrayList<>();
            await("the next messages").atMost(Duration.ofSeconds(10)).until(() -> {
                held.addAll(source.poll(100, Duration.ofMillis(50)));
                return !held.isEmpty();
            });
            await("no more than fit in 1 MiB of read-ahead (two of 512 KiB) while nothing is done")
                    .during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> {
                        held.addAll(source.poll(100, Duration.ofMillis(50)));
                        return held.size() <= 2;
                    });
            assertThat(stats().path("in_flight_count").asInt()).isLessThanOrEqualTo(2);
            held.forEach(r -> r.ack().done());
            received.addAll(held);
        }
        assertThat(received).extracting(r -> (int) r.message().payload()[0])
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).boxed().toList());
        assertThat(received).allSatisfy(r -> assertThat(r.message().payload()).hasSize(size));
    }

    @Test
    void aRecordNeverDoneIsRedeliveredWithAttemptsPlusOneOnceItsClientIsGone() throws Exception {
        publish(1);
        NsqConnectionOptions options = connection().withMsgTimeout(Duration.ofSeconds(1));
        NsqSource first = source(options, 1);
        List<SourceRecord> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> got.addAll(first.poll(1, Duration.ofMillis(100))));
        assertThat(got.get(0).attempts()).isEqualTo(1);
        first.close();

        NsqSource second = source(options, 1);
        List<SourceRecord> again = new ArrayList<>();
        await("redelivery after msg_timeout").atMost(Duration.ofSeconds(15)).until(() -> again.addAll(second.poll(1, Duration.ofMillis(100))));

        SourceRecord redelivered = again.get(0);
        assertThat(redelivered.position()).isEqualTo(got.get(0).position());
        assertThat(redelivered.attempts()).isEqualTo(2);
        assertThat(redelivered.message().headers().first(NsqSource.ATTEMPTS_HEADER)).contains("2");
        assertThat(redelivered.message().key()).isNull();
        redelivered.ack().done();
    }

    @Test
    void touchKeepsARecordHeldPastMsgTimeoutInFlight() throws Exception {
        publish(1);
        NsqSource source = source(connection().withMsgTimeout(Duration.ofSeconds(1)), 1);
        List<SourceRecord> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> got.addAll(source.poll(1, Duration.ofMillis(100))));

        await("held three msg_timeouts without a timeout").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> stats().path("timeout_count").asInt() == 0 && stats().path("in_flight_count").asInt() == 1);
        got.get(0).ack().done();

        await("finished").atMost(Duration.ofSeconds(5)).until(() -> stats().path("in_flight_count").asInt() == 0);
        assertThat(stats().path("timeout_count").asInt()).isZero();
        assertThat(source.poll(1, Duration.ofMillis(300))).as("no redelivery").isEmpty();
    }

    @Test
    void closeHandsBackWhatThePipelineNeverTook() throws Exception {
        publish(20);
        NsqSource first = source(connection(), 100);
        List<SourceRecord> taken = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> taken.addAll(first.poll(1, Duration.ofMillis(100))));
        taken.get(0).ack().done();
        await("the rest buffered in the client").atMost(Duration.ofSeconds(10))
                .until(() -> stats().path("in_flight_count").asInt() == 19);

        first.close();

        NsqSource second = source(connection(), 100);
        List<SourceRecord> rest = new ArrayList<>();
        await("the 19 handed back with REQ, long before the 60 s msg_timeout").atMost(Duration.ofSeconds(10)).until(() -> {
            second.poll(100, Duration.ofMillis(100)).forEach(r -> {
                rest.add(r);
                r.ack().done();
            });
            return rest.size() >= 19;
        });
        assertThat(rest).hasSize(19).noneMatch(r -> r.position().equals(taken.get(0).position()));
        assertThat(stats().path("timeout_count").asInt()).isZero();
    }

    @Test
    void sinkPipelinesPublishesAndEachIsConfirmedInOrder() throws Exception {
        int count = 3000;
        try (RawNsqReader reader = new RawNsqReader(broker(), topic, "readback")) {
            NsqSink sink = sink(NsqSinkOptions.of(topic));
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(sink.publish(outbound("src", ("p" + i).getBytes(StandardCharsets.UTF_8), i)));
            }

            assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).succeedsWithin(30, TimeUnit.SECONDS);
            List<RawNsqReader.Received> back = reader.read(count, Duration.ofSeconds(30));
            assertThat(back).extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "p" + i).toList());
        }
    }

    @Test
    void sinkWithDeferPublishesWithDpub() throws Exception {
        try (RawNsqReader reader = new RawNsqReader(broker(), topic, "readback")) {
            NsqSink sink = sink(NsqSinkOptions.of(topic).withDefer(Duration.ofMillis(1500)));

            assertThat(sink.publish(outbound("src", "later".getBytes(StandardCharsets.UTF_8), 0))).succeedsWithin(10, TimeUnit.SECONDS);

            assertThat(reader.read(1, Duration.ofMillis(700))).as("not before the deferral").isEmpty();
            assertThat(reader.read(1, Duration.ofSeconds(10))).hasSize(1);
        }
    }

    @Test
    void startFailsRetriableWhenNoNsqdAnswers() throws Exception {
        NsqConnectionOptions nowhere = NsqConnectionOptions.of(List.of(new NsqAddress("127.0.0.1", Ports.free())));
        NsqSource source = new NsqSource(nowhere, new NsqSourceOptions(topic, CHANNEL));
        open.add(source);

        assertThatThrownBy(() -> source.start(new SourceContext("behaviour", SourceContext.Resume.BROKER, Map.of(), 10)))
                .isInstanceOf(RetriableException.class).hasMessageContaining("cannot connect to any nsqd");
    }
}
