package io.msgbridge.system;

import io.nats.client.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemons, a and b, run one pipeline in {@code mode: group} from a partitioned source into one
 * JetStream stream on the machine's nats-server: both get a share of the partitions (queues); a is
 * stopped with SIGTERM halfway and b takes over what a gave up, from where a committed it. Nothing may be
 * lost and per-key order must hold in the stream. The Kafka and RocketMQ group tests run it on their
 * source.
 */
public final class GroupModeTakeOver {
    public static final int RECORDS = 20_000;
    public static final int KEYS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(2);
    private static final Pattern OUT = Pattern.compile("\"recordsOut\":(\\d+)");

    private GroupModeTakeOver() {
    }

    /** Writes {@code count} keyed records over {@code keys} keys to the source, each key numbered from {@code firstPerKey}. */
    @FunctionalInterface
    public interface Publisher {
        void publish(int count, int keys, int firstPerKey) throws Exception;
    }

    /** What the two daemons logged. */
    public record Logs(String a, String b) {
    }

    /**
     * Runs it and checks what arrived.
     *
     * @param dir     the test's directory: each daemon runs in a folder of its own there, {@code a} and {@code b}
     * @param id      the test's unique name: the daemons write to {@code dst.ID.events}, in stream {@code DST_ID}
     * @param store   both daemons' offset store, the entry under {@code offsets:} (an offset file is one per daemon)
     * @param source  the {@code connections} entry of the source, named {@code source}
     * @param from    the rest of the pipeline's {@code from} after {@code connection: source}: topic, group, mode
     * @param publish writes records to the source's topic
     */
    public static Logs run(Path dir, String id, String store, String source, String from, Publisher publish) throws Exception {
        String pipeline = """
                shutdown-timeout: 20s
                connections:
                  source: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: shared
                    from: { connection: source, %s }
                    to: { connection: js, subject: "dst.%s.events" }
                    key: native
                    lanes: 16
                    max-in-flight: { records: 500 }
                """.formatted(source, JetStreamFixture.URL, from, id);
        DaemonConfig configA = DaemonConfig.offsets(Files.createDirectories(dir.resolve("a")), store, pipeline);
        DaemonConfig configB = configA.beside(dir.resolve("b"));
        String stream = "DST_" + id.replace('-', '_');
        try (JetStreamFixture nats = new JetStreamFixture()) {
            nats.createStream(stream, "dst." + id + ".>");
            Logs logs;
            try (DaemonProcess a = configA.run("--instance-id", "a");
                 DaemonProcess b = configB.run("--instance-id", "b")) {
                a.awaitReady(Duration.ofSeconds(60));
                b.awaitReady(Duration.ofSeconds(60));
                awaitPartitions("a", a, b);
                awaitPartitions("b", b, a);
                publish.publish(RECORDS / 2, KEYS, 0);
                a.await("both daemons copy records", DELIVERY, () -> recordsOut(a) > 0 && recordsOut(b) > 0);

                assertThat(a.terminate(Duration.ofSeconds(60))).isZero();
                publish.publish(RECORDS / 2, KEYS, RECORDS / 2 / KEYS);

                b.await("every record in JetStream", DELIVERY, () -> nats.count(stream) >= RECORDS);
                assertThat(b.terminate(Duration.ofSeconds(60))).isZero();
                logs = new Logs(a.output(), b.output());
            }
            assertThat(logs.a()).contains("gave up");
            assertThat(logs.b()).contains("claimed beside the other daemons of its group");
            List<Message> messages = nats.readAll(stream);
            Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
            assertThat(perKey).hasSize(KEYS);
            assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
            return logs;
        }
    }

    /** Waits until {@code daemon} logs its first assignment; a failure shows the other daemon's log too. */
    private static void awaitPartitions(String name, DaemonProcess daemon, DaemonProcess other) {
        try {
            daemon.await(name + " has partitions", Duration.ofSeconds(60), () -> daemon.output().contains("assigned ["));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast lines of the other daemon's log:\n" + other.tail(80), e);
        }
    }

    private static long recordsOut(DaemonProcess daemon) {
        Matcher m = OUT.matcher(daemon.get("/pipelines").body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
