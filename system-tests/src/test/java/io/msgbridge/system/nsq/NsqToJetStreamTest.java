package io.msgbridge.system.nsq;

import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;

import io.msgbridge.nsq.NsqBroker;
import io.msgbridge.nsq.NsqHttp;
import io.nats.client.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * NSQ → JetStream through the daemon as a child process, keyed by {@code json:/KnowledgeID} as Coze
 * Studio's knowledge events are: SIGKILL mid-run and a restart lose nothing (nsqd redelivers what was
 * never FINished; the JetStream sink's {@code Nats-Msg-Id} from the NSQ message id drops the replays),
 * the key computed from the body is written as the NATS key header, and a body that is not JSON goes to
 * the dead-letter route while the pipeline moves on. Runs against
 * the NSQ test double, and also a real nsqd when {@code NSQD} names one.
 */
class NsqToJetStreamTest {
    private static final int RECORDS = 50_000;
    private static final int KNOWLEDGE_BASES = 256;
    private static final String CHANNEL = "bridge";

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String topic = "opencoze_knowledge_" + id;
    private final String sinkStream = "KN_" + id;
    private final String dlqStream = "KN_DLQ_" + id;
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        nats = new JetStreamFixture();
        nats.createStream(sinkStream, "kn." + id + ".>");
        nats.createStream(dlqStream, "dlq." + id + ".>");
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
    }

    private DaemonConfig config(NsqBroker broker) throws IOException {
        return DaemonConfig.offsetFile(dir, """
                shutdown-timeout: 20s
                connections:
                  coze-nsq: { type: nsq, nsqd: [ "%s" ], msg-timeout: 5s, heartbeat-interval: 2s }
                  js: { type: nats, servers: [ %s ] }
                pipelines:
                  - name: knowledge
                    from: { connection: coze-nsq, topic: %s, channel: %s }
                    to: { connection: js, subject: "kn.%s.{topic}" }
                    dead-letter: { connection: js, subject: "dlq.%s.{topic}" }
                    key: json:/KnowledgeID
                    lanes: 32
                    retry: { attempts: 3, backoff: 50ms..1s }
                """.formatted(broker.tcpAddress(), JetStreamFixture.URL, topic, CHANNEL, id, id));
    }

    private static byte[] event(int i, int[] perKey) {
        int kb = (int) ((i * 7919L) % KNOWLEDGE_BASES);
        return ("{\"KnowledgeID\":\"kb-" + kb + "\",\"DocumentID\":\"doc-" + i + "\",\"n\":" + perKey[kb]++ + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("io.msgbridge.nsq.NsqBrokers#all")
    void bridgesFiftyThousandKeyedEventsAndLosesNothingWhenKilledMidRun(NsqBroker broker) throws Exception {
        NsqHttp http = new NsqHttp(broker);
        http.createChannel(topic, CHANNEL);
        int[] perKey = new int[KNOWLEDGE_BASES];
        List<byte[]> events = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            events.add(event(i, perKey));
        }
        http.mpub(topic, events);
        DaemonConfig config = config(broker);

        try (DaemonProcess first = config.run()) {
            first.awaitReady(Duration.ofSeconds(60));
            await("a third of the events in JetStream").atMost(Duration.ofMinutes(2)).until(() -> nats.count(sinkStream) >= RECORDS / 3);
            first.kill();
        }
        assertThat(nats.count(sinkStream)).isLessThan(RECORDS);
        try (DaemonProcess second = config.run()) {
            second.awaitReady(Duration.ofSeconds(60));
            await("every event in JetStream after the restart (unfinished ones redelivered after msg-timeout)")
                    .atMost(Duration.ofMinutes(2)).until(() -> nats.count(sinkStream) >= RECORDS);
            await("every NSQ message finished").atMost(Duration.ofSeconds(30)).until(() ->
                    http.channelStats(topic, CHANNEL).path("in_flight_count").asInt() == 0
                            && http.channelStats(topic, CHANNEL).path("depth").asInt() == 0);
            assertThat(second.terminate(Duration.ofSeconds(30))).isZero();
        }

        List<Message> stored = nats.readAll(sinkStream);
        assertThat(stored).as("events in JetStream: redeliveries dropped by Nats-Msg-Id").hasSize(RECORDS);
        Set<String> distinct = new HashSet<>();
        for (Message m : stored) {
            String body = new String(m.getData(), StandardCharsets.UTF_8);
            distinct.add(body);
            assertThat(m.getHeaders().getFirst("NSQ-Message-Id")).hasSize(16);
            assertThat(m.getHeaders().getFirst("Sharding-Key")).as("the key computed from %s, in the NATS key header", body)
                    .isEqualTo(body.replaceAll(".*\"KnowledgeID\":\"([^\"]+)\".*", "$1"));
        }
        assertThat(distinct).as("distinct events").hasSize(RECORDS);
        assertThat(nats.count(dlqStream)).isZero();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("io.msgbridge.nsq.NsqBrokers#all")
    void aBodyThatIsNotJsonGoesToTheDeadLetterRouteAndThePipelineMovesOn(NsqBroker broker) throws Exception {
        NsqHttp http = new NsqHttp(broker);
        http.createChannel(topic, CHANNEL);
        for (String body : List.of("{\"KnowledgeID\":\"kb-1\",\"n\":0}", "this is not { json", "{\"KnowledgeID\":\"kb-1\",\"n\":1}")) {
            http.pub(topic, body.getBytes(StandardCharsets.UTF_8));
        }

        try (DaemonProcess daemon = config(broker).run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            await("both good events at the sink").atMost(Duration.ofSeconds(30)).until(() -> nats.count(sinkStream) == 2);
            await("the bad one dead-lettered").atMost(Duration.ofSeconds(30)).until(() -> nats.count(dlqStream) == 1);
            await("all three finished at nsqd").atMost(Duration.ofSeconds(30)).until(() ->
                    http.channelStats(topic, CHANNEL).path("in_flight_count").asInt() == 0);
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        }

        Message dead = nats.readAll(dlqStream).get(0);
        assertThat(new String(dead.getData(), StandardCharsets.UTF_8)).isEqualTo("this is not { json");
        assertThat(dead.getHeaders().getFirst("bridge.error.stage")).isEqualTo("key");
        assertThat(dead.getHeaders().getFirst("bridge.error.partition")).isEqualTo(topic + "/" + CHANNEL);
        assertThat(nats.readAll(sinkStream)).extracting(m -> new String(m.getData(), StandardCharsets.UTF_8))
                .containsExactly("{\"KnowledgeID\":\"kb-1\",\"n\":0}", "{\"KnowledgeID\":\"kb-1\",\"n\":1}");
    }
}
