package io.msgbridge.system.nsq;

import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;

import io.msgbridge.nsq.NsqBroker;
import io.msgbridge.nsq.RawNsqReader;
import io.msgbridge.testing.KeyedRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    @BeforeEach
    void setUp() throws Exception {
        nats = new JetStreamFixture();
        nats.createStream(stream, "src." + id + ".>");
        nats.publishKeyed(subject, RECORDS, KEYS);
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("io.msgbridge.nsq.NsqBrokers#all")
    void copiesAStreamToAnNsqTopicOnceInPerKeyOrder(NsqBroker broker) throws Exception {
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  js: { type: nats, servers: [ %s ] }
                  nsq: { type: nsq, nsqd: [ "%s" ] }
                pipelines:
                  - name: to-nsq
                    from: { connection: js, stream: %s, durable: to-nsq }
                    to: { connection: nsq, topic: "{subject}", batch: 64 }
                    key: native
                """.formatted(JetStreamFixture.URL, broker.tcpAddress(), stream));

        List<RawNsqReader.Received> received;
        try (RawNsqReader reader = new RawNsqReader(broker, subject, "check");
             DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            received = reader.read(RECORDS, Duration.ofSeconds(60));
            assertThat(reader.read(1, Duration.ofMillis(500))).as("nothing beyond the stream").isEmpty();
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        }

        assertThat(received).hasSize(RECORDS);
        Map<String, Integer> perKey = KeyedRecords.assertPerKeyOrderWithoutGapsOrDuplicates(received,
                m -> new String(m.body(), StandardCharsets.UTF_8), null, m -> "NSQ message " + m.id());
        assertThat(perKey).hasSize(KEYS);
    }
}
