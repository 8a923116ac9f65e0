package io.msgbridge.system.pulsar;

import io.msgbridge.nsq.NsqBroker;
import io.msgbridge.nsq.NsqBrokers;
import io.msgbridge.nsq.NsqHttp;
import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NSQ → Pulsar, the move Coze Studio users make: knowledge events keyed by {@code json:/KnowledgeID},
 * SIGKILL mid-run and a restart: every event reaches Pulsar (NSQ redelivers what was never FINished;
 * without a sequence the Pulsar sink is at-least-once, so a replay may be stored twice, never lost).
 */
class NsqToPulsarTest {
    private static final int RECORDS = 50_000;
    private static final int KNOWLEDGE_BASES = 256;

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("nsq2p");
    private PulsarRecords pulsar;

    @BeforeEach
    void setUp() throws Exception {
        pulsar = new PulsarRecords(PulsarTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        pulsar.close();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("io.msgbridge.nsq.NsqBrokers#all")
    void everyKnowledgeEventReachesPulsarAcrossAKill(NsqBroker broker) throws Exception {
        String topic = NsqBrokers.uniqueTopic("opencoze_knowledge");
        String target = PulsarRecords.topic(id);
        NsqHttp http = new NsqHttp(broker);
        http.createChannel(topic, "bridge");
        List<byte[]> events = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            events.add(("{\"KnowledgeID\":\"kb-" + (i * 7919L) % KNOWLEDGE_BASES + "\",\"DocumentID\":\"doc-" + i + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        http.mpub(topic, events);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                shutdown-timeout: 20s
                connections:
                  coze-nsq: { type: nsq, nsqd: [ "%s" ], msg-timeout: 5s }
                  pulsar: %s
                pipelines:
                  - name: knowledge
                    from: { connection: coze-nsq, topic: %s, channel: bridge }
                    to: { connection: pulsar, topic: "%s" }
                    key: json:/KnowledgeID
                    lanes: 32
                """.formatted(broker.tcpAddress(), pulsar.connection(), topic, target));

        PulsarRecords.Collector collected = pulsar.collect(target);
        try (DaemonProcess first = config.run()) {
            first.awaitReady(Duration.ofSeconds(120));
            first.await("a third of the events in Pulsar", Duration.ofMinutes(3), () -> collected.count() >= RECORDS / 3);
            first.kill();
        }
        try (DaemonProcess second = config.run()) {
            second.awaitReady(Duration.ofSeconds(120));
            second.await("every event in Pulsar", Duration.ofMinutes(3), () -> distinctDocuments(collected).size() == RECORDS);
            assertThat(second.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertThat(collected.count()).as("stored events (replays after the kill may repeat)").isGreaterThanOrEqualTo(RECORDS);
    }

    private static Set<String> distinctDocuments(PulsarRecords.Collector collected) {
        Set<String> documents = new HashSet<>();
        for (var m : collected.messages()) {
            documents.add(new String(m.getValue(), StandardCharsets.UTF_8).replaceAll(".*\"DocumentID\":\"([^\"]+)\".*", "$1"));
        }
        return documents;
    }
}
