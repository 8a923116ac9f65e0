package io.msgbridge.kafka;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Kafka dead-letter route read back for {@code bridge dlq list|replay}: what it held at start, nothing later. */
@Tag("integration")
class KafkaReadBackTest {
    private static final Duration CONFIRM = Duration.ofSeconds(20);

    private static void deadLetter(Sink sink, int i) {
        Message message = new Message("orders", "k" + i, ("dead" + i).getBytes(StandardCharsets.UTF_8),
                Headers.of("bridge.error.stage", "sink", "bridge.error.position", Integer.toString(i)), null);
        assertThat(sink.publish(new OutboundRecord(message, "p/orders-0/" + i, new Position("orders-0", Integer.toString(i), i))))
                .succeedsWithin(CONFIRM);
    }

    private static List<SourceRecord> readUntilDone(Source source) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + CONFIRM.toNanos();
        while (source.lag() != 0 && System.nanoTime() < deadline) {
            all.addAll(source.poll(2, Duration.ofMillis(200)));
        }
        assertThat(source.lag()).as("lag once everything was read").isZero();
        assertThat(source.poll(10, Duration.ofMillis(100))).isEmpty();
        return all;
    }

    @Test
    void readsWhatTheRouteHeldAtStartWithItsErrorHeadersAndNothingWrittenLater() throws Exception {
        String topic = SharedKafka.newTopic("dlq", 2);
        Sink sink = new KafkaSink(SharedKafka.options(), KafkaSinkOptions.of(topic));
        sink.start(new SinkContext("readback", SinkContext.Role.DEAD_LETTER));
        Connector.SourceSpec reader = KafkaConnector.readBack(SharedKafka.options(), KafkaSinkOptions.of(topic)).orElseThrow();
        try {
            for (int i = 0; i < 5; i++) {
                deadLetter(sink, i);
            }
            Source source = reader.create();
            source.start(new SourceContext("readback", SourceContext.Resume.STORE, Map.of(), 100));
            deadLetter(sink, 5);

            List<SourceRecord> records = readUntilDone(source);
            source.close();

            assertThat(records).extracting(r -> new String(r.message().payload(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("dead0", "dead1", "dead2", "dead3", "dead4");
            assertThat(records.get(0).message().headers().first("bridge.error.stage")).contains("sink");
            SourceRecord last = records.get(records.size() - 1);

            Source resumed = reader.create();
            resumed.start(new SourceContext("readback", SourceContext.Resume.STORE,
                    Map.of(last.position().partition(), last.position()), 100));
            List<SourceRecord> after = readUntilDone(resumed);
            resumed.close();
            assertThat(after).extracting(SourceRecord::position).doesNotContain(last.position());
            assertThat(after).extracting(r -> new String(r.message().payload(), StandardCharsets.UTF_8)).contains("dead5");
        } finally {
            sink.close();
        }
        assertThat(KafkaConnector.readBack(SharedKafka.options(), KafkaSinkOptions.of("{topic}-dlq"))).isEmpty();
    }
}
