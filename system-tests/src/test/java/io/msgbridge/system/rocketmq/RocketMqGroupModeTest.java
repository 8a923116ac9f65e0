package io.msgbridge.system.rocketmq;

import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import io.msgbridge.testing.Ports;
import io.nats.client.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemons run one RocketMQ → JetStream pipeline in {@code mode: group} on a topic of 8 queues, on one
 * PostgreSQL offset store (each claims the pipeline beside the other): both get queues; one is stopped with SIGTERM mid-run and the other takes its queues
 * from the offsets it wrote. Nothing is lost, per-key order holds in the stream they both write to, and
 * the daemons' logs show each queue read by one daemon at a time. (The Kafka group test runs the same with an
 * offset file per daemon.)
 */
class RocketMqGroupModeTest {
    private static final int RECORDS = 20_000;
    private static final int KEYS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(2);
    private static final Pattern OUT = Pattern.compile("\"recordsOut\":(\\d+)");
    /** A log line of a queue move: its time, what happened, the queues. */
    private static final Pattern MOVE = Pattern.compile("(?m)^(\\S+) .*: (assigned|gave up|lost) \\[([^\\]]*)\\]");

    @TempDir
    Path dir;

    private final String id = RocketMqTestClient.uniqueTopic("grp");
    private RocketMqTestClient rocketmq;
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        rocketmq = new RocketMqTestClient(RocketMqTestBroker.shared());
        nats = new JetStreamFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        rocketmq.close();
        nats.close();
        try (Connection db = DriverManager.getConnection(PG_URL, "postgres", null)) {
            db.createStatement().execute("drop schema if exists " + schema + " cascade");
        }
    }

    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String schema = "rmqgroup_" + id.replace('-', '_');

    private Path config(String name, int port) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path config = home.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  postgres: { url: %s, user: postgres, schema: %s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                shutdown-timeout: 20s
                connections:
                  rmq: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: shared
                    from: { connection: rmq, topic: %s, consumer-group: %s, mode: group, drain-timeout: 10s }
                    to: { connection: js, subject: "dst.%s.events" }
                    key: native
                    lanes: 16
                    max-in-flight: { records: 500 }
                """.formatted(PG_URL, schema, port, RocketMqTestBroker.shared().connection(), JetStreamFixture.URL, id, id, id));
        return config;
    }

    private static long recordsOut(DaemonProcess daemon) {
        Matcher m = OUT.matcher(daemon.get("/pipelines").body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void twoDaemonsShareTheQueuesOneAtATimeAndTheOneLeftTakesOverWhatTheOtherGaveUp() throws Exception {
        rocketmq.createTopic(id);
        String stream = "DST_" + id.replace('-', '_');
        nats.createStream(stream, "dst." + id + ".>");
        int portA = Ports.free();
        int portB = Ports.free();
        String outputA;
        String outputB;
        try (DaemonProcess a = DaemonProcess.run(config("a", portA), portA, "--instance-id", "a");
             DaemonProcess b = DaemonProcess.run(config("b", portB), portB, "--instance-id", "b")) {
            a.awaitReady(Duration.ofSeconds(60));
            b.awaitReady(Duration.ofSeconds(60));
            try {
                a.await("a has queues", Duration.ofSeconds(60), () -> a.output().contains("assigned ["));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nlast lines of the other daemon's log:\n" + b.tail(80), e);
            }
            b.await("b has queues", Duration.ofSeconds(60), () -> b.output().contains("assigned ["));
            rocketmq.publishKeyed(id, RECORDS / 2, KEYS, 0);
            a.await("both daemons copy records", DELIVERY, () -> recordsOut(a) > 0 && recordsOut(b) > 0);

            assertThat(a.terminate(Duration.ofSeconds(60))).isZero();
            rocketmq.publishKeyed(id, RECORDS / 2, KEYS, RECORDS / 2 / KEYS);

            b.await("every record in JetStream", DELIVERY, () -> nats.count(stream) >= RECORDS);
            assertThat(b.terminate(Duration.ofSeconds(60))).isZero();
            outputA = a.output();
            outputB = b.output();
        }
        assertThat(outputA).contains("gave up");
        assertThat(outputB).contains("claimed beside the other daemons of its group");
        assertOneOwnerAtATime(Map.of("a", outputA, "b", outputB));
        List<Message> messages = nats.readAll(stream);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).hasSize(KEYS);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
    }

    /** Per queue, the daemons' spans from "assigned" to "gave up" (or "lost") do not overlap. */
    private static void assertOneOwnerAtATime(Map<String, String> outputs) {
        record Span(String daemon, Instant from, Instant to) {
        }
        Map<String, List<Span>> spans = new TreeMap<>();
        outputs.forEach((daemon, output) -> {
            Map<String, Instant> since = new TreeMap<>();
            Matcher m = MOVE.matcher(output);
            while (m.find()) {
                Instant at = Instant.parse(m.group(1));
                for (String queue : m.group(3).split(", ")) {
                    if (m.group(2).equals("assigned")) {
                        since.put(queue, at);
                    } else {
                        Instant from = since.remove(queue);
                        assertThat(from).as(daemon + " gave up " + queue + " it was not assigned").isNotNull();
                        spans.computeIfAbsent(queue, q -> new ArrayList<>()).add(new Span(daemon, from, at));
                    }
                }
            }
            assertThat(since).as(daemon + ": queues never given up (a daemon stopped with SIGTERM gives up all)").isEmpty();
        });
        assertThat(spans).as("queues read").hasSize(8);
        spans.forEach((queue, list) -> {
            list.sort(Comparator.comparing(Span::from));
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.get(i).from()).as(queue + ": " + list.get(i) + " starts after " + list.get(i - 1) + " ends")
                        .isAfterOrEqualTo(list.get(i - 1).to());
            }
        });
    }
}
