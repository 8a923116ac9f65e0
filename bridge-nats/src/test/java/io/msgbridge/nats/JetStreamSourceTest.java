package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Tag("integration")
class JetStreamSourceTest {
    private Connection conn;
    private String stream;
    private final List<JetStreamSource> sources = new ArrayList<>();

    @BeforeEach
    void createStream() throws Exception {
        conn = SharedNats.connect();
        stream = SharedNats.unique();
        SharedNats.createStream(conn, stream, stream + ".>");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        sources.forEach(JetStreamSource::close);
        SharedNats.deleteStream(conn, stream);
        conn.close();
    }

    private void publish(int count) throws Exception {
        JetStream js = conn.jetStream();
        for (int i = 1; i <= count; i++) {
            js.publish(stream + ".e", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private JetStreamSource start(JetStreamSourceOptions options, SourceContext.Resume resume, Map<String, Position> stored) throws InterruptedException {
        JetStreamSource source = new JetStreamSource(SharedNats.options(), options);
        sources.add(source);
        source.start(new SourceContext("p1", resume, stored, 100));
        return source;
    }

    private static List<SourceRecord> take(JetStreamSource source, int count) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            out.addAll(source.poll(count - out.size(), Duration.ofMillis(200)));
        }
        assertThat(out).as("records within 20s").hasSize(count);
        return out;
    }

    /** Records the first source buffered but never handed out come back after ack-wait; keep that short. */
    private JetStreamSourceOptions quickRedelivery() {
        return JetStreamSourceOptions.of(stream).withAckWait(Duration.ofSeconds(1));
    }

    private void awaitAckFloor(String durable, long sequence) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                conn.jetStreamManagement().getConsumerInfo(stream, durable).getAckFloor().getStreamSequence() == sequence);
    }

    @Test
    void aMessageReachingASourceIdleLongerThanItsPullRequestsLastIsHandedOutPromptly() throws Exception {
        // Idle pull requests of 2 s rather than the default 30: idle past the first request and then
        // past several of the longer ones an idle source asks with.
        JetStreamSource source = new JetStreamSource(SharedNats.options(), JetStreamSourceOptions.of(stream), Duration.ofSeconds(2));
        sources.add(source);
        source.start(new SourceContext("p1", SourceContext.Resume.STORE, Map.of(), 100));
        long idleUntil = System.nanoTime() + PullRequests.EXPIRES.plusSeconds(4).toNanos();
        while (System.nanoTime() < idleUntil) {
            assertThat(source.poll(10, Duration.ofSeconds(1))).as("records from an empty stream").isEmpty();
        }
        Thread publisher = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1500);
                publish(1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        List<SourceRecord> records = source.poll(10, Duration.ofSeconds(5));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        publisher.join();

        assertThat(records).as("the message published 1.5 s into a poll of up to 5 s").hasSize(1);
        assertThat(waited).as("time from the poll's start to the message, published after 1.5 s")
                .isLessThan(Duration.ofMillis(1800));
    }

    @Test
    void withStoreResumeItStartsRightAfterTheStoredPosition() throws Exception {
        publish(10);

        JetStreamSource source = start(JetStreamSourceOptions.of(stream), SourceContext.Resume.STORE,
                Map.of(stream, new Position(stream, "4", 4)));

        SourceRecord first = take(source, 1).get(0);
        assertThat(first.position()).isEqualTo(new Position(stream, "5", 5));
        assertThat(new String(first.message().payload(), StandardCharsets.UTF_8)).isEqualTo("m5");
    }

    @Test
    void withStoreResumeAnExistingDurableAheadOfTheStoreIsRewoundToTheStoredPosition() throws Exception {
        publish(10);
        JetStreamSource first = start(JetStreamSourceOptions.of(stream), SourceContext.Resume.BROKER, Map.of());
        take(first, 8).forEach(r -> r.ack().done());
        awaitAckFloor("bridge-p1", 8);
        first.close();

        JetStreamSource second = start(JetStreamSourceOptions.of(stream), SourceContext.Resume.STORE,
                Map.of(stream, new Position(stream, "3", 3)));

        assertThat(take(second, 1).get(0).position().sequence()).isEqualTo(4);
    }

    @Test
    void withBrokerResumeItContinuesFromTheDurableAndDoesNotRedeliverAckedRecords() throws Exception {
        publish(10);
        JetStreamSource first = start(quickRedelivery(), SourceContext.Resume.BROKER, Map.of());
        take(first, 5).forEach(r -> r.ack().done());
        awaitAckFloor("bridge-p1", 5);
        first.close();

        JetStreamSource second = start(quickRedelivery(), SourceContext.Resume.BROKER,
                Map.of(stream, new Position(stream, "1", 1)));

        assertThat(take(second, 5)).extracting(r -> r.position().sequence()).containsExactly(6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void withStoreResumeButNoStoredPositionItUsesTheDurablesOwnState() throws Exception {
        publish(4);
        JetStreamSource first = start(quickRedelivery(), SourceContext.Resume.STORE, Map.of());
        take(first, 2).forEach(r -> r.ack().done());
        awaitAckFloor("bridge-p1", 2);
        first.close();

        JetStreamSource second = start(quickRedelivery(), SourceContext.Resume.STORE, Map.of());

        assertThat(take(second, 1).get(0).position().sequence()).isEqualTo(3);
    }

    @Test
    void unackedRecordsAreRedeliveredWithTheirAttemptsCounted() throws Exception {
        publish(1);
        JetStreamSourceOptions options = JetStreamSourceOptions.of(stream).withAckWait(Duration.ofSeconds(1));
        JetStreamSource source = start(options, SourceContext.Resume.BROKER, Map.of());
        assertThat(take(source, 1).get(0).attempts()).isEqualTo(1);

        SourceRecord again = take(source, 1).get(0);

        assertThat(again.position().sequence()).isEqualTo(1);
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void deliverNewSkipsWhatTheStreamHeldBeforeTheDurableWasCreated() throws Exception {
        publish(3);
        JetStreamSource source = start(JetStreamSourceOptions.of(stream).withDeliver(JetStreamSourceOptions.DeliverFrom.NEW),
                SourceContext.Resume.BROKER, Map.of());
        publish(1);

        assertThat(take(source, 1).get(0).position().sequence()).isEqualTo(4);
    }

    @Test
    void messagesCarryKeyHeadersAndTheStreamTimestampAsEventTime() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        Headers headers = new Headers().add("Sharding-Key", "doc-1").add("tag", "a", "b");
        conn.jetStream().publish(NatsMessage.builder().subject(stream + ".k").headers(headers).data(new byte[] {1}).build());
        JetStreamSource source = start(JetStreamSourceOptions.of(stream), SourceContext.Resume.BROKER, Map.of());

        Message m = take(source, 1).get(0).message();

        assertThat(m.topic()).isEqualTo(stream + ".k");
        assertThat(m.key()).isEqualTo("doc-1");
        assertThat(m.headers().all("tag")).containsExactly("a", "b");
        assertThat(m.eventTime()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void aBridgeEventTimeHeaderWinsOverTheStreamTimestamp() throws Exception {
        Headers headers = new Headers().add("Bridge-Event-Time", "2020-01-01T00:00:00Z");
        conn.jetStream().publish(NatsMessage.builder().subject(stream + ".t").headers(headers).data(new byte[] {1}).build());
        JetStreamSource source = start(JetStreamSourceOptions.of(stream), SourceContext.Resume.BROKER, Map.of());

        assertThat(take(source, 1).get(0).message().eventTime()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void lagReportsWhatTheConsumerHasNotDeliveredYet() throws Exception {
        publish(300);
        JetStreamSource source = start(JetStreamSourceOptions.of(stream).withBatch(10), SourceContext.Resume.BROKER, Map.of());

        take(source, 1);

        assertThat(source.lag()).isBetween(250L, 299L);
    }

    @Test
    void aMissingStreamFailsStartPermanentlyNamingTheStream() {
        JetStreamSource source = new JetStreamSource(SharedNats.options(), JetStreamSourceOptions.of(stream + "missing"));
        sources.add(source);

        assertThatThrownBy(() -> source.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.of(), 10)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("stream " + stream + "missing does not exist");
    }
}
