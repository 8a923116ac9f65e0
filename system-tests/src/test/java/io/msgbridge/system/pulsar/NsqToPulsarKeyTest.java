package io.msgbridge.system.pulsar;

import io.msgbridge.nsq.NsqBrokers;
import io.msgbridge.nsq.NsqHttp;
import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.testing.Ports;
import org.apache.pulsar.client.api.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NSQ has no message keys: a pipeline that computes one from the body ({@code key: json:/id}) writes it
 * as the Pulsar message key (and ordering key), so that Pulsar consumers can group by it.
 */
class NsqToPulsarKeyTest {
    private static final int RECORDS = 5_000;
    private static final int IDS = 50;

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("nsqkey");
    private PulsarRecords pulsar;

    @BeforeEach
    void setUp() throws Exception {
        pulsar = new PulsarRecords(PulsarTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        pulsar.close();
    }

    @Test
    void everyMessageAtPulsarCarriesTheKeyThePipelineComputedFromItsBody() throws Exception {
        String topic = NsqBrokers.uniqueTopic("orders");
        NsqHttp http = new NsqHttp(NsqBrokers.testDouble());
        http.createChannel(topic, "bridge");
        List<byte[]> events = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            events.add(("{\"id\":\"order-" + i % IDS + "\",\"n\":" + i / IDS + "}").getBytes(StandardCharsets.UTF_8));
        }
        http.mpub(topic, events);
        String target = PulsarRecords.topic(id);
        PulsarRecords.Collector collector = pulsar.collect(target);
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  file: { path: offsets.json }
                http: { listen: 127.0.0.1:%d }
                connections:
                  nsq: { type: nsq, nsqd: [ "%s" ] }
                  pulsar: %s
                pipelines:
                  - name: nsqkey
                    from: { connection: nsq, topic: %s, channel: bridge }
                    to: { connection: pulsar, topic: "%s" }
                    key: json:/id
                """.formatted(port, NsqBrokers.testDouble().tcpAddress(), pulsar.connection(), topic, target));

        try (DaemonProcess daemon = DaemonProcess.run(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("every event in Pulsar", Duration.ofMinutes(2), () -> collector.count() >= RECORDS);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
        Set<String> bodies = new HashSet<>();
        for (Message<byte[]> m : collector.messages()) {
            String body = new String(m.getData(), StandardCharsets.UTF_8);
            String expected = body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertThat(m.getKey()).as("key of %s", body).isEqualTo(expected);
            assertThat(new String(m.getOrderingKey(), StandardCharsets.UTF_8)).as("ordering key of %s", body).isEqualTo(expected);
            bodies.add(body);
        }
        assertThat(bodies).as("distinct events at Pulsar").hasSize(RECORDS);
    }
}
