package io.msgbridge.system.nsq;

import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;

import io.msgbridge.nsq.NsqBroker;
import io.msgbridge.nsq.RawNsqReader;
import io.msgbridge.testing.Ports;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JetStream → NSQ through the daemon: every record arrives on the NSQ topic named after its subject
 * ({@code topic: "{subject}"}), once, in per-key order. Runs against the NSQ test double, and also a
 * real nsqd when {@code NSQD} names one.
 */
class JetStreamToNsqTest {
    private static final int RECORDS = 2000;
    private static final int KEYS = 32;

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String stream = "SRC_NSQ_" + id;
    private final String subject = "src." + id + ".events";
    private JetStreamFixture nats;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        nats = new JetStreamFixture();
        nats.createStream(stream, "src." + id + ".>");
        port = Ports.free();
        JetStream js = nats.connection.jetStream();
        int[] perKey = new int[KEYS];
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            int key = i % KEYS;
            acks.add(js.publishAsync(subject, new Headers().add("Sharding-Key", "key-" + key),
                    ("{\"k\":\"key-" + key + "\",\"n\":" + perKey[key]++ + "}").getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("io.msgbridge.nsq.NsqBrokers#all")
    void copiesAStreamToAnNsqTopicOnceInPerKeyOrder(NsqBroker broker) throws Exception {
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  file: { path: %s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [ %s ] }
                  nsq: { type: nsq, nsqd: [ "%s" ] }
                pipelines:
                  - name: to-nsq
                    from: { connection: js, stream: %s, durable: to-nsq }
                    to: { connection: nsq, topic: "{subject}", batch: 64 }
                    key: native
                """.formatted(dir.resolve("offsets.json"), port, JetStreamFixture.URL, broker.tcpAddress(), stream));

        List<RawNsqReader.Received> received;
        try (RawNsqReader reader = new RawNsqReader(broker, subject, "check");
             DaemonProcess daemon = DaemonProcess.run(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            received = reader.read(RECORDS, Duration.ofSeconds(60));
            assertThat(reader.read(1, Duration.ofMillis(500))).as("nothing beyond the stream").isEmpty();
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        }

        assertThat(received).hasSize(RECORDS);
        Map<String, Integer> next = new HashMap<>();
        for (RawNsqReader.Received m : received) {
            String body = new String(m.body(), StandardCharsets.UTF_8);
            String key = body.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1");
            int n = Integer.parseInt(body.replaceAll(".*\"n\":(\\d+).*", "$1"));
            assertThat(n).as("next record of %s", key).isEqualTo(next.getOrDefault(key, 0));
            next.put(key, n + 1);
        }
        assertThat(next).hasSize(KEYS);
    }
}
