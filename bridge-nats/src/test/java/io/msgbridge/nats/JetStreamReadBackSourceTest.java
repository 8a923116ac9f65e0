package io.msgbridge.nats;

import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Reading back a JetStream dead-letter subject without a consumer, on the shared nats-server. */
@Tag("integration")
class JetStreamReadBackSourceTest {
    private final String id = SharedNats.unique();
    private final String stream = "RB_" + id;
    private final String subject = "rb." + id + ".dlq";
    private Connection conn;

    @BeforeEach
    void setUp() throws Exception {
        conn = SharedNats.connect();
        SharedNats.createStream(conn, stream, "rb." + id + ".>");
        for (int i = 1; i <= 10; i++) {
            conn.jetStream().publish(subject, new Headers().add("Sharding-Key", "k" + (i % 2)).add("bridge.error.pipeline", "p"),
                    ("m" + i).getBytes(StandardCharsets.UTF_8));
            conn.jetStream().publish("rb." + id + ".other", ("o" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        SharedNats.deleteStream(conn, stream);
        conn.close();
    }

    private List<SourceRecord> readAll(Map<String, Position> stored, Runnable afterStart) throws Exception {
        List<SourceRecord> read = new ArrayList<>();
        Source source = JetStreamReadBack.of(SharedNats.options(), NatsSinkOptions.of(subject, SinkMode.JETSTREAM))
                .orElseThrow().create();
        try (source) {
            source.start(new SourceContext("p~list", SourceContext.Resume.STORE, stored, 100));
            afterStart.run();
            while (true) {
                List<SourceRecord> batch = source.poll(3, Duration.ofMillis(100));
                if (batch.isEmpty() && source.lag() == 0) {
                    return read;
                }
                read.addAll(batch);
            }
        }
    }

    @Test
    void readsTheSubjectFromTheStartWithKeysAndHeadersUpToWhatWasThereAtStart() throws Exception {
        List<SourceRecord> all = readAll(Map.of(), () -> {
            try {
                conn.jetStream().publish(subject, "later".getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertThat(all).extracting(r -> new String(r.message().payload(), StandardCharsets.UTF_8))
                .containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10");
        assertThat(all.getFirst().message().key()).isEqualTo("k1");
        assertThat(all.getFirst().message().headers().first("bridge.error.pipeline")).contains("p");
        assertThat(all.getFirst().position().partition()).isEqualTo(stream);
        assertThat(conn.jetStreamManagement().getConsumerNames(stream)).as("consumers created").isEmpty();
    }

    @Test
    void resumesAfterAStoredPosition() throws Exception {
        List<SourceRecord> all = readAll(Map.of(), () -> { });
        List<SourceRecord> rest = readAll(Map.of(stream, all.get(5).position()), () -> { });

        assertThat(rest).extracting(r -> new String(r.message().payload(), StandardCharsets.UTF_8))
                .containsExactly("m7", "m8", "m9", "m10");
    }
}
