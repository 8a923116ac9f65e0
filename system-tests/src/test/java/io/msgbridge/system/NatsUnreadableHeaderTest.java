package io.msgbridge.system;

import io.msgbridge.nats.RawNats;
import io.nats.client.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another client publishes into the JetStream source, with a raw {@code HPUB}, headers the NATS client
 * cannot parse. The pipeline dead-letters that message at stage {@code source} with its raw header
 * block and payload, and the records after it still arrive, in order.
 */
class NatsUnreadableHeaderTest {
    private static final int KEYS = 10;
    private static final int BEFORE = 100;
    private static final int AFTER = 100;

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String source = "USRC_" + id;
    private final String sink = "UDST_" + id;
    private final String deadLetters = "UDLQ_" + id;
    private JetStreamFixture nats;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        nats = new JetStreamFixture();
        nats.createStream(source, "usrc." + id + ".>");
        nats.createStream(sink, "udst." + id + ".>");
        nats.createStream(deadLetters, "udlq." + id + ".>");
        config = DaemonConfig.offsetFile(dir, """
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: unreadable
                    from: { connection: js, stream: %s }
                    to: { connection: js, subject: "udst.%s.{subject}" }
                    dead-letter: { connection: js, subject: "udlq.%s.unreadable" }
                    key: native
                """.formatted(JetStreamFixture.URL, source, id, id));
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
    }

    @Test
    void deadLettersAMessageWithHeadersTheClientCannotReadAtStageSourceAndDeliversTheRecordsAfterIt() throws Exception {
        String subject = "usrc." + id + ".events";
        nats.publishKeyed(subject, BEFORE, KEYS);
        RawNats.hpub(JetStreamFixture.URL, subject, RawNats.headers("Sharding-Key: key-3", "City: Zürich", "Bad Header: x"),
                "{\"k\":\"key-3\",\"n\":\"unreadable\"}".getBytes(StandardCharsets.UTF_8));
        long unreadableSequence = nats.count(source);
        nats.publishKeyed(subject, AFTER, KEYS);

        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("every readable record at the sink and the unreadable one dead-lettered", Duration.ofSeconds(60),
                    () -> nats.count(sink) == BEFORE + AFTER && nats.count(deadLetters) == 1);
            daemon.awaitReady(Duration.ofSeconds(10));
            assertThat(daemon.output()).contains("headers the NATS client cannot read");
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }

        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll(sink));
        assertThat(perKey).hasSize(KEYS).allSatisfy((key, count) -> assertThat(count).isEqualTo((BEFORE + AFTER) / KEYS));

        List<Message> dead = nats.readAll(deadLetters);
        Message letter = dead.get(0);
        assertThat(new String(letter.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"key-3\",\"n\":\"unreadable\"}");
        assertThat(letter.getHeaders().getFirst("bridge.error.stage")).isEqualTo("source");
        assertThat(letter.getHeaders().getFirst("bridge.error.position")).isEqualTo(Long.toString(unreadableSequence));
        assertThat(letter.getHeaders().getFirst("bridge.error.message")).contains("cannot read").contains("sequence " + unreadableSequence);
        assertThat(letter.getHeaders().getFirst("bridge.raw-headers"))
                .isEqualTo("NATS/1.0%0D%0ASharding-Key: key-3%0D%0ACity: Z%C3%BCrich%0D%0ABad Header: x%0D%0A%0D%0A");
        assertThat(letter.getHeaders().getFirst("Sharding-Key")).isEqualTo("key-3");
    }
}
