package io.msgbridge.nats;

import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another client publishes, with a raw {@code HPUB}, headers that jnats refuses to parse (a name with a
 * space, a UTF-8 value). Without the header guard such a message ends the connection's reader: the
 * JetStream source waits for ever, the core source loses every later message.
 */
@Tag("integration")
class UnreadableHeadersSourceTest {
    private static final byte[] BAD_NAME = RawNats.headers("Sharding-Key: k-1", "Bad Header: x");
    private static final byte[] UTF8_VALUE = RawNats.headers("City: Zürich");

    private Connection conn;
    private String name;

    @BeforeEach
    void connect() throws Exception {
        conn = SharedNats.connect();
        name = SharedNats.unique();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        SharedNats.deleteStream(conn, name);
        conn.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<SourceRecord> take(io.msgbridge.spi.Source source, int count) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            out.addAll(source.poll(count - out.size(), Duration.ofMillis(200)));
        }
        assertThat(out).as("records within 20s").hasSize(count);
        return out;
    }

    private static String text(SourceRecord r) {
        return new String(r.message().payload(), StandardCharsets.UTF_8);
    }

    @Test
    void aJetStreamSourceHandsOutAMessageWithUnreadableHeadersAsUnreadableAndGoesOn() throws Exception {
        SharedNats.createStream(conn, name, name + ".>");
        JetStream js = conn.jetStream();
        js.publish(name + ".e", new Headers().add("Sharding-Key", "k-0"), utf8("before"));
        RawNats.hpub(SharedNats.URL, name + ".e", BAD_NAME, utf8("bad name"));
        RawNats.hpub(SharedNats.URL, name + ".e", UTF8_VALUE, utf8("utf-8 value"));
        js.publish(name + ".e", utf8("after"));
        JetStreamSource source = new JetStreamSource(SharedNats.options(), JetStreamSourceOptions.of(name).withAckWait(Duration.ofSeconds(2)));
        try {
            source.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.of(), 100));

            List<SourceRecord> records = take(source, 4);

            assertThat(records).extracting(UnreadableHeadersSourceTest::text).containsExactly("before", "bad name", "utf-8 value", "after");
            assertThat(records).extracting(r -> r.position().sequence()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(records.get(0).unreadable()).isNull();
            assertThat(records.get(3).unreadable()).isNull();
            SourceRecord badName = records.get(1);
            assertThat(badName.unreadable()).isNotNull();
            assertThat(badName.unreadable().getMessage()).contains("p1: nats source nats:stream " + name)
                    .contains("stream " + name + " sequence 2 (subject " + name + ".e)")
                    .contains("Header key has invalid character: 0x20")
                    .contains("bridge.raw-headers");
            assertThat(badName.message().headers().first("bridge.raw-headers"))
                    .contains("NATS/1.0%0D%0ASharding-Key: k-1%0D%0ABad Header: x%0D%0A%0D%0A");
            assertThat(badName.message().key()).as("the key header, readable on its own, is kept").isEqualTo("k-1");
            assertThat(badName.message().headers().first("bridge.unreadable")).isEmpty();
            assertThat(records.get(2).message().headers().first("bridge.raw-headers")).contains("NATS/1.0%0D%0ACity: Z%C3%BCrich%0D%0A%0D%0A");
            assertThat(source.unreadable()).isEqualTo(2);
            assertThat(source.connected()).isTrue();

            records.forEach(r -> r.ack().done());
            await("the ack floor past every message, the unreadable ones included").atMost(Duration.ofSeconds(10)).until(() ->
                    conn.jetStreamManagement().getConsumerInfo(name, "bridge-p1").getAckFloor().getStreamSequence() == 4);
        } finally {
            source.close();
        }
    }

    @Test
    void anUnreadableJetStreamMessageIsAckedOnlyWhenTheRuntimeIsDoneWithIt() throws Exception {
        SharedNats.createStream(conn, name, name + ".>");
        RawNats.hpub(SharedNats.URL, name + ".e", BAD_NAME, utf8("bad name"));
        JetStreamSource source = new JetStreamSource(SharedNats.options(), JetStreamSourceOptions.of(name).withAckWait(Duration.ofSeconds(1)));
        try {
            source.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.of(), 100));
            SourceRecord first = take(source, 1).get(0);
            assertThat(first.unreadable()).isNotNull();

            SourceRecord again = take(source, 1).get(0);

            assertThat(again.position()).as("redelivered after ack-wait while not done").isEqualTo(first.position());
            assertThat(again.attempts()).isEqualTo(2);
            assertThat(again.unreadable()).isNotNull();
            again.ack().done();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    conn.jetStreamManagement().getConsumerInfo(name, "bridge-p1").getAckFloor().getStreamSequence() == 1);
        } finally {
            source.close();
        }
    }

    @Test
    void aCoreSourceCountsAnUnreadableMessageHandsItOnAndKeepsReceiving() throws Exception {
        CoreNatsSource source = new CoreNatsSource(SharedNats.options(),
                new CoreSourceOptions(List.of(name + ".>"), Optional.empty(), CoreSourceOptions.DEFAULT_BUFFER));
        try {
            source.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.<String, Position>of(), 100));
            conn.publish(name + ".a", utf8("before"));
            conn.flush(Duration.ofSeconds(5));
            RawNats.hpub(SharedNats.URL, name + ".b", UTF8_VALUE, utf8("utf-8 value"));
            conn.publish(name + ".c", utf8("after"));
            conn.flush(Duration.ofSeconds(5));

            List<SourceRecord> records = take(source, 3);

            assertThat(records).extracting(UnreadableHeadersSourceTest::text).containsExactly("before", "utf-8 value", "after");
            assertThat(records.get(1).unreadable()).isNotNull();
            assertThat(records.get(1).unreadable().getMessage()).contains("a message on subject " + name + ".b has headers");
            assertThat(records.get(1).message().headers().first("bridge.raw-headers")).contains("NATS/1.0%0D%0ACity: Z%C3%BCrich%0D%0A%0D%0A");
            assertThat(records.get(2).unreadable()).isNull();
            assertThat(source.unreadable()).isEqualTo(1);
        } finally {
            source.close();
        }
    }
}
