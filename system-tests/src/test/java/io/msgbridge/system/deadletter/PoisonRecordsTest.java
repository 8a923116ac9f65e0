package io.msgbridge.system.deadletter;

import io.msgbridge.nats.NatsTestServer;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison records of each kind — a key that cannot be computed, a record too large for the sink stream,
 * a subject the sink's account may not publish to — go to the dead-letter stream with the
 * {@code bridge.error.*} headers, while the pipeline keeps moving and the other keys keep their order.
 */
class PoisonRecordsTest {
    private static final String ACCOUNTS = """
            accounts {
              APP {
                jetstream: enabled
                users: [
                  { user: bridge, password: pw, permissions: { publish: { deny: ["dst.src.refused"] } } }
                  { user: test, password: pw }
                ]
              }
            }
            """;
    private static final int GOOD = 300;
    private static final int KEYS = 10;

    @TempDir
    Path dir;

    private NatsTestServer server;
    private JetStreamFixture nats;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        server = NatsTestServer.startWithConfig(ACCOUNTS);
        nats = new JetStreamFixture(server.url(), "test", "pw");
        nats.createStream("SRC", "src.>");
        nats.createStream("DST", "dst.>", 2048);
        nats.createStream("DLQ", "dlq.>");
        config = DaemonConfig.postgres(dir, "dlqp", """
                connections:
                  s: { type: nats, servers: [%s], user: bridge, password: pw }
                pipelines:
                  - name: poison
                    from: { connection: s, stream: SRC }
                    to: { connection: s, subject: "dst.{subject}", ack-timeout: 1s }
                    dead-letter: { connection: s, subject: dlq.poison }
                    key: json:/k
                    retry: { attempts: 2, backoff: 50ms..200ms }
                """.formatted(server.url()));
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        server.close();
        config.close();
    }

    private List<Long> publishPoison() throws Exception {
        List<Long> positions = new ArrayList<>();
        positions.add(nats.publish("src.good", null, "not json"));
        positions.add(nats.publish("src.good", "big", "{\"k\":\"big\",\"n\":0,\"pad\":\"" + "x".repeat(3000) + "\"}"));
        positions.add(nats.publish("src.refused", "ref", "{\"k\":\"ref\",\"n\":0}"));
        return positions;
    }

    @Test
    void sendsEachKindOfPoisonRecordToTheDeadLetterRouteWithItsHeadersAndKeepsMoving() throws Exception {
        List<Long> poison = new ArrayList<>(publishPoison());
        nats.publishKeyed("src.good", GOOD, KEYS);
        poison.addAll(publishPoison());
        nats.publishKeyed("src.good", GOOD, KEYS);
        long last = nats.count("SRC");
        Instant started = Instant.now();

        try (DaemonProcess daemon = config.run()) {
            await("every good record at the sink and every poison record dead-lettered").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(daemon::assertAlive)
                    .until(() -> nats.count("DST") == 2L * GOOD && nats.count("DLQ") == poison.size());
            await("commit past every record").atMost(Duration.ofSeconds(20))
                    .until(() -> config.committed("poison") == last);
        }

        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll("DST"));
        assertThat(perKey).hasSize(KEYS).allSatisfy((key, count) -> assertThat(count).isEqualTo(2 * GOOD / KEYS));

        List<Message> dead = nats.readAll("DLQ");
        assertThat(dead).extracting(m -> Long.parseLong(m.getHeaders().getFirst("bridge.error.position")))
                .containsExactlyInAnyOrderElementsOf(poison);
        for (Message m : dead) {
            Headers h = m.getHeaders();
            long position = Long.parseLong(h.getFirst("bridge.error.position"));
            assertThat(h.getFirst("bridge.error.pipeline")).isEqualTo("poison");
            assertThat(h.getFirst("bridge.error.partition")).isEqualTo("SRC");
            assertThat(h.getFirst("bridge.error.source")).startsWith("nats:stream SRC src.");
            assertThat(h.getFirst("bridge.error.class")).isEqualTo("io.msgbridge.spi.PermanentException");
            assertThat(Integer.parseInt(h.getFirst("bridge.error.attempts"))).isBetween(1, 2);
            Instant first = Instant.parse(h.getFirst("bridge.error.first-failed-at"));
            Instant lastFailed = Instant.parse(h.getFirst("bridge.error.last-failed-at"));
            assertThat(first).isAfterOrEqualTo(started.minusSeconds(5)).isBeforeOrEqualTo(lastFailed);
            int kind = poison.indexOf(position) % 3;
            switch (kind) {
                case 0 -> {
                    assertThat(h.getFirst("bridge.error.stage")).isEqualTo("key");
                    assertThat(new String(m.getData())).isEqualTo("not json");
                }
                case 1 -> {
                    assertThat(h.getFirst("bridge.error.stage")).isEqualTo("sink");
                    assertThat(h.getFirst("bridge.error.message")).containsIgnoringCase("size");
                    assertThat(h.getFirst("Sharding-Key")).isEqualTo("big");
                    assertThat(m.getData()).hasSizeGreaterThan(3000);
                }
                default -> {
                    assertThat(h.getFirst("bridge.error.stage")).isEqualTo("sink");
                    assertThat(h.getFirst("bridge.error.message")).contains("not authorized to publish to subject dst.src.refused");
                    assertThat(h.getFirst("bridge.error.topic")).isEqualTo("src.refused");
                }
            }
        }
    }
}
