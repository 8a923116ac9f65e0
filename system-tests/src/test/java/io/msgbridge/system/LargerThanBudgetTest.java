package io.msgbridge.system;

import io.msgbridge.nats.NatsTestServer;
import io.msgbridge.testing.Ports;
import io.nats.client.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JetStream message larger than the daemon's whole memory budget ({@code memory: 1MiB}, a 2 MiB
 * message on a nats-server of the test's own whose {@code max_payload} allows it): it is dead-lettered
 * at stage {@code source} with an error naming its size and the budget, the daemon does not run out of
 * heap, and the records after it arrive.
 */
class LargerThanBudgetTest {
    private static final int LARGE = 2 << 20;
    private static final int BEFORE = 20;
    private static final int AFTER = 20;

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String source = "BSRC_" + id;
    private final String sink = "BDST_" + id;
    private final String deadLetters = "BDLQ_" + id;
    private NatsTestServer server;
    private JetStreamFixture nats;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        server = NatsTestServer.startWithConfig("max_payload: 4MB\n");
        nats = new JetStreamFixture(server.url());
        nats.createStream(source, "bsrc." + id + ".>");
        nats.createStream(sink, "bdst." + id + ".>");
        nats.createStream(deadLetters, "bdlq." + id + ".>");
        port = Ports.free();
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        server.close();
    }

    @Test
    void aMessageLargerThanTheWholeBudgetIsDeadLetteredAtStageSourceAndTheRecordsAfterItArrive() throws Exception {
        String subject = "bsrc." + id + ".events";
        nats.publishSized(subject, BEFORE, 100);
        nats.publishSized(subject, 1, LARGE);
        long largeSequence = nats.count(source);
        nats.publishSized(subject, AFTER, 100);
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                memory: 1MiB
                offsets:
                  file: { path: offsets.json }
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: budget
                    from: { connection: js, stream: %s }
                    to: { connection: js, subject: "bdst.%s.{subject}" }
                    dead-letter: { connection: js, subject: "bdlq.%s.large" }
                """.formatted(port, server.url(), source, id, id));

        try (DaemonProcess daemon = DaemonProcess.run(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("the records before and after the large one at the sink, the large one dead-lettered",
                    Duration.ofSeconds(60), () -> nats.count(sink) == BEFORE + AFTER && nats.count(deadLetters) == 1);
            daemon.awaitReady(Duration.ofSeconds(10));
            String log = daemon.output();
            assertThat(daemon.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
            assertThat(log).doesNotContain("OutOfMemoryError");
        }

        List<Message> delivered = nats.readAll(sink);
        List<String> expected = Stream.concat(IntStream.range(0, BEFORE).boxed(), IntStream.range(0, AFTER).boxed())
                .map(n -> "{\"n\":" + n + "}").toList();
        assertThat(delivered).extracting(m -> new String(m.getData(), StandardCharsets.UTF_8).trim())
                .as("the small records, in order").containsExactlyElementsOf(expected);
        Message letter = nats.readAll(deadLetters).get(0);
        assertThat(letter.getData()).as("the dead letter's payload").hasSize(LARGE);
        assertThat(letter.getHeaders().getFirst("bridge.error.stage")).isEqualTo("source");
        assertThat(letter.getHeaders().getFirst("bridge.error.position")).isEqualTo(Long.toString(largeSequence));
        assertThat(letter.getHeaders().getFirst("bridge.error.message"))
                .contains("larger than the daemon's whole memory budget of 1MiB").contains("raise memory:");
    }
}
