package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many JetStream → JetStream pipelines with default settings under the heap the daemon ships with
 * ({@code config/jvm.options}), the records produced into the source streams first: everything
 * arrives, the daemon never runs out of heap, its source connections are never dropped, and what it
 * holds resident stays below the heap cap plus a fixed overhead.
 */
class MemoryBoundTest {
    private static final int KIB = 1024;
    private static final long MIB = 1024L * 1024;
    /** The shipped heap cap ({@code -Xmx160m}). */
    private static final long HEAP_CAP = 160 * MIB;
    /**
     * What the JVM holds beside the heap: classes and compiled code, thread stacks, the collector's own
     * structures and the allocator's arenas for a daemon with the NATS backend and a few hundred threads
     * (about 100 MiB measured with 8 pipelines).
     */
    private static final long FIXED_OVERHEAD = 160 * MIB;
    private static final Duration DELIVERY = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private JetStreamFixture nats;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        nats = new JetStreamFixture();
        port = Ports.free();
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
    }

    private String source(int i) {
        return "MEM_SRC_" + id + "_" + i;
    }

    private String sink(int i) {
        return "MEM_DST_" + id + "_" + i;
    }

    /** {@code pipelines} JetStream → JetStream pipelines with default settings, {@code records} of {@code size} bytes waiting in each source. */
    private Path pipelines(int pipelines, int records, int size) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                """.formatted(port, JetStreamFixture.URL));
        for (int i = 0; i < pipelines; i++) {
            nats.createStream(source(i), "msrc." + id + "." + i + ".>");
            nats.createStream(sink(i), "mdst." + id + "." + i + ".>");
            nats.publishSized("msrc." + id + "." + i + ".e", records, size);
            yaml.append("""
                      - name: p%d
                        from: { connection: js, stream: %s }
                        to: { connection: js, subject: "mdst.%s.%d.{subject}" }
                    """.formatted(i, source(i), id, i));
        }
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, yaml.toString());
        return config;
    }

    private void awaitAllDelivered(DaemonProcess daemon, int pipelines, int records) {
        daemon.await("%d records at each of the %d sinks".formatted(records, pipelines), DELIVERY,
                () -> IntStream.range(0, pipelines).allMatch(i -> {
                    try {
                        return nats.count(sink(i)) == records;
                    } catch (Exception e) {
                        return false;
                    }
                }));
    }

    @Test
    void eightPipelinesOfHalfMebibyteMessagesDeliverEverythingWithinTheHeapAndNeverReconnect() throws Exception {
        int pipelines = 8;
        int records = 200;
        Path config = pipelines(pipelines, records, 512 * KIB);
        try (DaemonProcess daemon = DaemonProcess.runWithShippedJvmOptions(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            awaitAllDelivered(daemon, pipelines, records);
            long resident = daemon.peakResidentBytes();
            String log = daemon.output();
            assertThat(daemon.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();

            assertThat(log).doesNotContain("OutOfMemoryError").doesNotContainIgnoringCase("disconnected")
                    .doesNotContainIgnoringCase("reconnect").doesNotContainIgnoringCase("slow consumer");
            assertThat(resident).as("peak resident bytes (%d MiB), against the %d MiB heap cap plus %d MiB",
                    resident / MIB, HEAP_CAP / MIB, FIXED_OVERHEAD / MIB).isLessThan(HEAP_CAP + FIXED_OVERHEAD);
        }
        for (int seq = 1; seq <= records; seq++) {
            byte[] copied = nats.jsm.getMessage(sink(pipelines - 1), seq).getData();
            assertThat(copied).as("the last pipeline's record at sequence %d", seq).hasSize(512 * KIB)
                    .startsWith(("{\"n\":" + (seq - 1) + "}").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void thirtyPipelinesWithTwoThousandSmallRecordsWaitingEachDeliverEverythingWithinTheHeap() throws Exception {
        int pipelines = 30;
        int records = 2_000;
        Path config = pipelines(pipelines, records, KIB);
        try (DaemonProcess daemon = DaemonProcess.runWithShippedJvmOptions(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            awaitAllDelivered(daemon, pipelines, records);
            String log = daemon.output();
            assertThat(daemon.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
            assertThat(log).doesNotContain("OutOfMemoryError");
        }
    }
}
