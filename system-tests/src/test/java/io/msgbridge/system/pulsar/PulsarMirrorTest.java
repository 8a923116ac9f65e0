package io.msgbridge.system.pulsar;

import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;

import io.msgbridge.pulsar.PulsarTestBroker;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mirroring with {@code topics-pattern}: three topics copied into renamed topics, and a fourth created
 * after the pipeline started picked up; keys, properties and event times arrive intact; the source lag,
 * read from the admin API, comes down to 0.
 */
class PulsarMirrorTest {
    private static final int PER_TOPIC = 200;
    private static final Pattern LAG_ZERO = Pattern.compile("(?m)^bridge_source_lag\\{pipeline=\"mirror\"} 0(\\.0)?$");

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("mir");
    private PulsarRecords pulsar;

    @BeforeEach
    void setUp() throws Exception {
        pulsar = new PulsarRecords(PulsarTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        pulsar.close();
    }

    private void produce(String topic) throws Exception {
        try (Producer<byte[]> producer = pulsar.client.newProducer(Schema.BYTES).topic(topic).create()) {
            for (int i = 0; i < PER_TOPIC; i++) {
                producer.newMessage().key("k" + (i % 10)).value(("v" + i).getBytes(StandardCharsets.UTF_8))
                        .property("origin", topic).property("i", Integer.toString(i))
                        .eventTime(1_700_000_000_000L + i).sendAsync();
            }
            producer.flush();
        }
    }

    private static String source(String id, String suffix) {
        return PulsarRecords.topic(id + "-src-" + suffix);
    }

    private static String mirror(String id, String suffix) {
        return PulsarRecords.topic(id + "-dst-" + suffix);
    }

    @Test
    void mirrorsTopicsMatchedByAPatternIntoRenamedTopicsIncludingOneCreatedLater() throws Exception {
        for (String t : List.of("a", "b", "c")) {
            produce(source(id, t));
        }
        Map<String, PulsarRecords.Collector> mirrors = new HashMap<>();
        for (String t : List.of("a", "b", "c", "later")) {
            mirrors.put(t, pulsar.collect(mirror(id, t)));
        }
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  pulsar: %s
                pipelines:
                  - name: mirror
                    from: { connection: pulsar, topics-pattern: "persistent://public/default/%s-src-.*", pattern-discovery: 1s }
                    to:
                      connection: pulsar
                      topic: "{topic}"
                      rewrite: { pattern: "persistent://public/default/%s-src-(.*)", replacement: "persistent://public/default/%s-dst-$1" }
                """.formatted(pulsar.connection(), id, id, id));

        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            for (String t : List.of("a", "b", "c")) {
                await("mirror of " + t).atMost(Duration.ofSeconds(60)).until(() -> mirrors.get(t).count() >= PER_TOPIC);
            }
            produce(source(id, "later"));
            await("mirror of a topic created after the start").atMost(Duration.ofSeconds(90))
                    .until(() -> mirrors.get("later").count() >= PER_TOPIC);
            daemon.await("the subscription's backlog, read at admin-url, as the source lag: 0 once all is acked",
                    Duration.ofSeconds(60), () -> LAG_ZERO.matcher(daemon.get("/metrics").body()).find());
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        }
        for (String t : List.of("a", "b", "c", "later")) {
            List<Message<byte[]>> copied = mirrors.get(t).messages();
            assertThat(copied).as("mirror of %s", t).hasSize(PER_TOPIC);
            Map<String, Integer> lastPerKey = new HashMap<>();
            for (Message<byte[]> m : copied) {
                int i = Integer.parseInt(new String(m.getData(), StandardCharsets.UTF_8).substring(1));
                assertThat(m.getKey()).isEqualTo("k" + (i % 10));
                assertThat(i).as("per-key order of %s", m.getKey()).isGreaterThan(lastPerKey.getOrDefault(m.getKey(), -1));
                lastPerKey.put(m.getKey(), i);
                assertThat(m.getProperties()).containsEntry("origin", source(id, t)).containsEntry("i", Integer.toString(i))
                        .doesNotContainKeys("Bridge-Pulsar-Publish-Time");
                assertThat(m.getEventTime()).isEqualTo(1_700_000_000_000L + i);
            }
            assertThat(copied).extracting(m -> new String(m.getData(), StandardCharsets.UTF_8)).doesNotHaveDuplicates();
        }
    }
}
