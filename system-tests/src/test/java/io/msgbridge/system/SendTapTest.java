package io.msgbridge.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.kafka.KafkaTestBroker;
import io.msgbridge.nsq.NsqBrokers;
import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code bridge send} and {@code bridge tap} as a user runs them (the real command line, a child process)
 * against real brokers: what send publishes, tap prints back with key, headers and position, in order;
 * and tapping consumes nothing (a second tap sees the same messages).
 */
class SendTapTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** FILE with one connection {@code c} and a pipeline to copy (send and tap read only the connection). */
    private Path config(String connection) throws IOException {
        return config(connection, "topic: unused");
    }

    private Path config(String connection, String from) throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                connections:
                  c: %s
                pipelines:
                  - name: any
                    from: { connection: c, %s }
                    to: { connection: c, topic: unused }
                """.formatted(connection, from));
        return file;
    }

    private Path natsConfig() throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                connections:
                  c: { type: nats, servers: [%s] }
                pipelines:
                  - name: any
                    from: { connection: c, subject: unused }
                    to: { connection: c, subject: unused }
                """.formatted(JetStreamFixture.URL));
        return file;
    }

    private DaemonProcess.Result send(Path config, String target, String input, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("send", config.toString(), target));
        args.addAll(List.of(options));
        DaemonProcess.Result result = DaemonProcess.command(dir, input, args);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }

    private List<JsonNode> tapFromStart(Path config, String target, int count) throws Exception {
        DaemonProcess.Result result = DaemonProcess.command(dir, "", List.of("tap", config.toString(), target,
                "--from-start", "--count", Integer.toString(count), "--format", "json"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        return json(result.output());
    }

    private static List<JsonNode> json(String output) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : output.lines().filter(l -> l.startsWith("{\"partition\"")).toList()) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static List<String> payloads(List<JsonNode> records) {
        return records.stream().map(r -> r.path("payload").asText()).toList();
    }

    private static String header(JsonNode record, String name) {
        for (JsonNode h : record.path("headers")) {
            if (name.equals(h.path("name").asText())) {
                return h.path("value").asText();
            }
        }
        return null;
    }

    /**
     * Sends three keyed lines with a header, taps them twice from the start: same records both times, in order.
     * Returns the first tap's records.
     */
    private List<JsonNode> roundTrip(Path config, String target) throws Exception {
        DaemonProcess.Result sent = send(config, target, "first\nsecond\nthird\n", "--key", "order-7", "--header", "origin=cli");
        assertThat(sent.output()).contains("sent 3 records to " + target);

        List<JsonNode> tapped = tapFromStart(config, target, 3);
        assertThat(payloads(tapped)).containsExactly("first", "second", "third");
        assertThat(tapped).allSatisfy(r -> {
            assertThat(r.path("key").asText()).isEqualTo("order-7");
            assertThat(header(r, "origin")).isEqualTo("cli");
            assertThat(r.path("offset").asText()).isNotEmpty();
        });
        assertThat(payloads(tapFromStart(config, target, 3))).as("a tap consumes nothing")
                .containsExactly("first", "second", "third");
        return tapped;
    }

    @Test
    void jetStreamRoundTripThroughAStreamThatSendCreates() throws Exception {
        Path config = natsConfig();
        try (JetStreamFixture nats = new JetStreamFixture()) {
            try {
                send(config, "c:sendtap." + id + ".generated", "", "--count", "2",
                        "--option", "create-stream={name: ST_" + id + ", subjects: [sendtap." + id + ".>]}");

                roundTrip(config, "c:sendtap." + id + ".a");

                List<JsonNode> generated = tapFromStart(config, "c:sendtap." + id + ".generated", 2);
                assertThat(payloads(generated)).satisfiesExactly(p -> assertThat(p).startsWith("{\"seq\":1,\"of\":2,"),
                        p -> assertThat(p).startsWith("{\"seq\":2,\"of\":2,"));
                assertThat(generated.stream().map(r -> r.path("offset").asText()).toList()).containsExactly("1", "2");
                assertThat(generated).allSatisfy(r -> assertThat(r.path("partition").asText()).isEqualTo("ST_" + id));
            } finally {
                nats.jsm.deleteStream("ST_" + id);
            }
        }
    }

    @Test
    void coreNatsTapShowsWhatIsPublishedWhileItRuns() throws Exception {
        Path config = natsConfig();
        String subject = "c:core." + id;
        try (Tap tap = new Tap(config, subject, 3)) {
            send(config, subject, "a\nb\nc\n", "--key", "k", "--option", "mode=core");
            List<JsonNode> tapped = tap.await();
            assertThat(payloads(tapped)).containsExactly("a", "b", "c");
            assertThat(tapped).allSatisfy(r -> assertThat(r.path("key").asText()).isEqualTo("k"));
        }
    }

    @Test
    void sendToASubjectNoStreamCapturesSaysHowToPublishWithCoreNats() throws Exception {
        DaemonProcess.Result result = DaemonProcess.command(dir, "x\n",
                List.of("send", natsConfig().toString(), "c:nostream." + id));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("no JetStream stream captures subject nostream." + id)
                .contains("mode: core").contains("record 1 failed, 0 of 1 records sent were confirmed");
    }

    @Test
    void kafkaRoundTripWithoutAConsumerGroup() throws Exception {
        KafkaTestBroker kafka = KafkaTestBroker.shared();
        kafka.createTopic("st-" + id, 1);
        Path config = config("{ type: kafka, bootstrap-servers: \"" + kafka.bootstrap() + "\" }");

        roundTrip(config, "c:st-" + id);

        assertThat(kafka.admin().listGroups().all().get(30, TimeUnit.SECONDS)).as("tap joins no consumer group")
                .noneMatch(g -> g.groupId().contains(id));
    }

    @Test
    void pulsarRoundTripWithoutASubscription() throws Exception {
        PulsarTestBroker pulsar = PulsarTestBroker.shared();
        Path config = config("{ type: pulsar, service-url: \"" + pulsar.serviceUrl() + "\", admin-url: \"" + pulsar.webUrl()
                + "\", auth: { token: \"" + pulsar.adminToken() + "\" } }");

        roundTrip(config, "c:persistent://public/default/st-" + id);
    }

    @Test
    void rocketMqRoundTripWithoutCommittingAnOffset() throws Exception {
        RocketMqTestBroker broker = RocketMqTestBroker.shared();
        String topic = RocketMqTestClient.uniqueTopic("st");
        try (RocketMqTestClient rocketmq = new RocketMqTestClient(broker)) {
            rocketmq.createTopic(topic);

            List<JsonNode> tapped = roundTrip(config(broker.connection()), "c:" + topic);

            // one key, so one queue, in the order sent
            String queue = tapped.getFirst().path("partition").asText();
            assertThat(queue).startsWith(topic + "/broker-a/");
            long first = tapped.getFirst().path("offset").asLong();
            assertThat(tapped).extracting(r -> r.path("partition").asText(), r -> r.path("offset").asLong())
                    .containsExactly(tuple(queue, first), tuple(queue, first + 1), tuple(queue, first + 2));
            assertThat(rocketmq.groupsOf(topic)).as("the taps' throwaway groups left no offset (and no member) behind")
                    .isEmpty();
        }
    }

    @Test
    void nsqTapReadsAChannelOfItsOwn() throws Exception {
        Path config = config("{ type: nsq, nsqd: [\"" + NsqBrokers.testDouble().tcpAddress() + "\"] }",
                "topic: unused, channel: unused");
        String topic = "c:st_" + id;
        try (Tap tap = new Tap(config, topic, 2)) {
            send(config, topic, "one\ntwo\n");
            assertThat(payloads(tap.await())).containsExactly("one", "two");
        }
    }

    /** {@code bridge tap ... --count N --format json} running in the background, from now. */
    private final class Tap implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;

        Tap(Path config, String target, int count) throws Exception {
            out = Files.createTempFile(dir, "tap", ".out");
            err = Files.createTempFile(dir, "tap", ".err");
            process = DaemonProcess.start(dir, out, err, "tap", config.toString(), target, "--count", Integer.toString(count),
                    "--format", "json");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(err).contains("tapping ")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("tap did not start within 60 s; its output:\n" + Files.readString(err));
                }
                Thread.sleep(50);
            }
        }

        List<JsonNode> await() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("tap did not print its messages within 60 s; it printed:\n" + Files.readString(out)
                        + Files.readString(err));
            }
            assertThat(process.exitValue()).as(Files.readString(err)).isZero();
            return json(Files.readString(out));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
