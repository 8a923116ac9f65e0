package io.msgbridge.system.pulsar;

import io.msgbridge.nats.NatsTestServer;
import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import io.msgbridge.testing.Ports;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pulsar → JetStream with 4 MiB messages, the daemon under the shipped JVM options (a 160 MiB heap):
 * the Pulsar source reads ahead by bytes, not a thousand messages a partition, so every message arrives
 * and the daemon does not run out of heap. The sink is a nats-server of the test's own whose
 * {@code max_payload} allows 8 MiB, as does its stream.
 */
class PulsarLargeMessagesToJetStreamTest {
    private static final int MESSAGE_SIZE = 4 << 20;
    private static final int RECORDS = 40;
    private static final int KEYS = 4;

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("large");
    private PulsarRecords pulsar;
    private NatsTestServer natsServer;
    private JetStreamFixture nats;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        pulsar = new PulsarRecords(PulsarTestBroker.shared());
        natsServer = NatsTestServer.startWithConfig("max_payload: 8MB\n");
        nats = new JetStreamFixture(natsServer.url());
        port = Ports.free();
    }

    @AfterEach
    void tearDown() throws Exception {
        pulsar.close();
        nats.close();
        natsServer.close();
    }

    @Test
    void fourMebibyteMessagesAllArriveUnderTheShippedHeap() throws Exception {
        String source = PulsarRecords.topic(id);
        String stream = "LARGE_" + id.replace('-', '_');
        nats.jsm.addStream(StreamConfiguration.builder().name(stream).subjects("large." + id).storageType(StorageType.File)
                .maximumMessageSize(8 << 20).build());
        publish(source);
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  file: { path: offsets.json }
                http: { listen: 127.0.0.1:%d }
                connections:
                  pulsar: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: large
                    from: { connection: pulsar, topic: "%s" }
                    to: { connection: js, subject: "large.%s" }
                    key: native
                """.formatted(port, pulsar.connection(), natsServer.url(), source, id));

        try (DaemonProcess daemon = DaemonProcess.runWithShippedJvmOptions(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("all " + RECORDS + " messages of 4 MiB in JetStream", Duration.ofMinutes(3),
                    () -> nats.count(stream) >= RECORDS);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).as("exit code (3: out of memory)").isZero();
            assertThat(daemon.output()).doesNotContain("OutOfMemoryError");
        }
        assertThat(nats.count(stream)).isEqualTo(RECORDS);
        Map<String, List<Integer>> perKey = new HashMap<>();
        for (long seq = 1; seq <= RECORDS; seq++) {
            MessageInfo m = nats.jsm.getMessage(stream, seq);
            assertThat(m.getData()).as("message %d", seq).hasSize(MESSAGE_SIZE);
            int n = ByteBuffer.wrap(m.getData()).getInt();
            perKey.computeIfAbsent("key-" + n % KEYS, k -> new ArrayList<>()).add(n);
        }
        assertThat(perKey).hasSize(KEYS);
        perKey.forEach((key, numbers) -> assertThat(numbers).as("records of %s in order", key).isSorted());
        assertThat(perKey.values().stream().mapToInt(List::size).sum()).isEqualTo(RECORDS);
    }

    /** {@link #RECORDS} messages of 4 MiB, numbered in their first four bytes, over {@link #KEYS} keys. */
    private void publish(String topic) throws Exception {
        try (Producer<byte[]> producer = pulsar.client.newProducer(Schema.BYTES).topic(topic).enableBatching(false)
                .blockIfQueueFull(true).create()) {
            List<CompletableFuture<MessageId>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                byte[] body = new byte[MESSAGE_SIZE];
                ByteBuffer.wrap(body).putInt(i);
                sent.add(producer.newMessage().key("key-" + i % KEYS).value(body).sendAsync());
                if (sent.size() == 4) {
                    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                    sent.clear();
                }
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        }
    }
}
