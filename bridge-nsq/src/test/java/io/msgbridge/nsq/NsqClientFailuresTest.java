package io.msgbridge.nsq;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Secret;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Failures only the {@link NsqTestDouble} can stage: connections dropped mid-stream, AUTH, a small
 * max_rdy_count. Each test has its own double.
 */
@Tag("integration")
class NsqClientFailuresTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String topic = NsqBrokers.uniqueTopic("failures");

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private NsqTestDouble double_(NsqTestDouble.Settings settings) throws Exception {
        NsqTestDouble d = NsqTestDouble.start(settings);
        open.add(d);
        return d;
    }

    private NsqSource source(NsqConnectionOptions options, int window) throws InterruptedException {
        NsqSource source = new NsqSource(options, new NsqSourceOptions(topic, "bridge"));
        open.add(source);
        source.start(new SourceContext("failures", SourceContext.Resume.BROKER, Map.of(), window));
        return source;
    }

    private static List<byte[]> bodies(int count) {
        return IntStream.range(0, count).mapToObj(i -> ("m" + i).getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void theSourceReconnectsAfterAConnectionDropMidStreamAndLosesNothing() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults());
        new NsqHttp(nsqd).createChannel(topic, "bridge");
        new NsqHttp(nsqd).mpub(topic, bodies(500));
        NsqSource source = source(NsqConnectionOptions.of(List.of(nsqd.address())).withMsgTimeout(Duration.ofSeconds(2)), 50);
        Set<String> bodiesSeen = ConcurrentHashMap.newKeySet();
        Runnable pollAndAck = () -> {
            try {
                for (SourceRecord r : source.poll(50, Duration.ofMillis(50))) {
                    bodiesSeen.add(new String(r.message().payload(), StandardCharsets.UTF_8));
                    r.ack().done();
                }
            } catch (RuntimeException ignored) {
                // not connected for a moment: poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pollAndAck.run();
            return bodiesSeen.size() >= 100;
        });

        nsqd.dropConnections();

        await("every message after the reconnect (unfinished ones time out and come again)").atMost(Duration.ofSeconds(30))
                .until(() -> {
                    pollAndAck.run();
                    return bodiesSeen.size() == 500;
                });
        assertThat(source.connected()).isTrue();
    }

    @Test
    void theSinkFailsRetriableWhileDisconnectedAndRecovers() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults());
        NsqSink sink = new NsqSink(NsqConnectionOptions.of(List.of(nsqd.address())), NsqSinkOptions.of(topic));
        open.add(sink);
        sink.start(new SinkContext("failures", SinkContext.Role.SINK));
        assertThat(sink.publish(NsqClientBehaviour.outbound("x", new byte[] {1}, 0))).succeedsWithin(5, TimeUnit.SECONDS);

        nsqd.failPublishes(true);
        assertThat(sink.publish(NsqClientBehaviour.outbound("x", new byte[] {2}, 1))).failsWithin(5, TimeUnit.SECONDS)
                .withThrowableThat().havingCause().isInstanceOf(io.msgbridge.spi.RetriableException.class)
                .withMessageContaining("E_PUB_FAILED");
        nsqd.failPublishes(false);

        await("published again after reconnecting").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(sink.publish(NsqClientBehaviour.outbound("x", new byte[] {3}, 2))).succeedsWithin(2, TimeUnit.SECONDS));
        assertThat(sink.connected()).isTrue();
        assertThat(new NsqHttp(nsqd).topicMessageCount(topic)).isEqualTo(2);
    }

    @Test
    void rdyNeverExceedsTheServersMaxRdyCount() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults().withMaxRdyCount(5));
        new NsqHttp(nsqd).createChannel(topic, "bridge");
        new NsqHttp(nsqd).mpub(topic, bodies(40));
        NsqSource source = source(NsqConnectionOptions.of(List.of(nsqd.address())), 1000);
        List<SourceRecord> all = new ArrayList<>();

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SourceRecord> batch = source.poll(1000, Duration.ofMillis(50));
            batch.forEach(r -> r.ack().done());
            all.addAll(batch);
            return all.size() == 40;
        });

        assertThat(nsqd.maxRdySeen()).isEqualTo(5);
        assertThat(nsqd.peakInFlight(topic, "bridge")).isLessThanOrEqualTo(5);
    }

    @Test
    void theAuthSecretIsSentWhenNsqdRequiresIt() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults().withAuthSecret("s3cret"));
        new NsqHttp(nsqd).createChannel(topic, "bridge");
        new NsqHttp(nsqd).pub(topic, "hello".getBytes(StandardCharsets.UTF_8));

        NsqSource source = source(NsqConnectionOptions.of(List.of(nsqd.address())).withAuthSecret(new Secret("s3cret")), 10);

        List<SourceRecord> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> got.addAll(source.poll(1, Duration.ofMillis(100))));
        assertThat(got.get(0).message().payload()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        got.get(0).ack().done();
    }

    @Test
    void aWrongAuthSecretIsPermanentAndNotLogged() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults().withAuthSecret("s3cret"));
        NsqSource source = new NsqSource(NsqConnectionOptions.of(List.of(nsqd.address())).withAuthSecret(new Secret("wrong-one")),
                new NsqSourceOptions(topic, "bridge"));
        open.add(source);

        assertThatThrownBy(() -> source.start(new SourceContext("failures", SourceContext.Resume.BROKER, Map.of(), 10)))
                .isInstanceOf(PermanentException.class).hasMessageContaining("E_AUTH_FAILED").hasMessageNotContaining("wrong-one");
    }

    @Test
    void aMissingAuthSecretIsPermanent() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults().withAuthSecret("s3cret"));
        NsqSink sink = new NsqSink(NsqConnectionOptions.of(List.of(nsqd.address())), NsqSinkOptions.of(topic));
        open.add(sink);

        assertThatThrownBy(() -> sink.start(new SinkContext("failures", SinkContext.Role.SINK)))
                .isInstanceOf(PermanentException.class).hasMessageContaining("requires AUTH: set auth-secret");
    }

    /**
     * Double only: a real nsqd refuses an oversized PUB before reading its body, and the reset that
     * closing on unread data causes may swallow the error frame (the client then sees a lost connection).
     */
    @Test
    void aRecordNsqdRefusesIsPermanentAndLaterRecordsGoThrough() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults());
        try (RawNsqReader reader = new RawNsqReader(nsqd, topic, "readback")) {
            NsqSinkOptions lax = new NsqSinkOptions(NsqNames.template(topic), Duration.ZERO, 1, 8L * 1024 * 1024);
            NsqSink sink = new NsqSink(NsqConnectionOptions.of(List.of(nsqd.address())), lax);
            open.add(sink);
            sink.start(new SinkContext("failures", SinkContext.Role.SINK));

            CompletableFuture<Void> tooBig = sink.publish(NsqClientBehaviour.outbound("src", new byte[2 * 1024 * 1024], 0));

            assertThat(tooBig).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PermanentException.class).withMessageContaining("E_BAD_MESSAGE");
            await("the sink reconnects after nsqd closed the connection").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(sink.publish(NsqClientBehaviour.outbound("src", "small".getBytes(StandardCharsets.UTF_8), 1)))
                            .succeedsWithin(5, TimeUnit.SECONDS));
            assertThat(reader.read(1, Duration.ofSeconds(10))).extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                    .contains("small");
        }
    }

    /** As the runtime does: a retriable failure is tried again (a few times here); returns the final outcome. */
    private static Throwable publishRetrying(NsqSink sink, OutboundRecord record) throws InterruptedException {
        Throwable last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                sink.publish(record).get(10, TimeUnit.SECONDS);
                return null;
            } catch (ExecutionException e) {
                last = e.getCause();
                if (!(last instanceof RetriableException)) {
                    return last;
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("no answer to " + record.id(), e);
            }
        }
        return last;
    }

    @Test
    void anMpubNsqdRefusesIsRetriedRecordByRecordSoOnlyTheBadRecordIsPermanent() throws Exception {
        NsqTestDouble nsqd = double_(NsqTestDouble.Settings.defaults());
        NsqSinkOptions lax = new NsqSinkOptions(NsqNames.template(topic), Duration.ZERO, 100, 8L * 1024 * 1024);
        NsqSink sink = new NsqSink(NsqConnectionOptions.of(List.of(nsqd.address())), lax);
        open.add(sink);
        sink.start(new SinkContext("failures", SinkContext.Role.SINK));
        List<OutboundRecord> records = List.of(
                NsqClientBehaviour.outbound("x", "good-1".getBytes(StandardCharsets.UTF_8), 0),
                NsqClientBehaviour.outbound("x", new byte[2 * 1024 * 1024], 1),
                NsqClientBehaviour.outbound("x", "good-2".getBytes(StandardCharsets.UTF_8), 2));
        List<CompletableFuture<Throwable>> outcomes = records.stream().map(r -> CompletableFuture.supplyAsync(() -> {
            try {
                return publishRetrying(sink, r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            }
        })).toList();

        assertThat(outcomes.get(0).get(60, TimeUnit.SECONDS)).isNull();
        assertThat(outcomes.get(1).get(60, TimeUnit.SECONDS)).isInstanceOf(PermanentException.class).hasMessageContaining("E_BAD_MESSAGE");
        assertThat(outcomes.get(2).get(60, TimeUnit.SECONDS)).isNull();
        assertThat(new NsqHttp(nsqd).topicMessageCount(topic)).isEqualTo(2);
    }
}
