package io.msgbridge.system.kafka;

import io.msgbridge.kafka.KafkaTestBroker;
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
import java.sql.ResultSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemons run one pipeline in {@code mode: group} on a topic of 6 partitions, each with its own offset
 * file, or both on one PostgreSQL offset store: both get partitions; one is stopped with SIGTERM and the
 * other takes its partitions from where it committed them. Nothing is lost and per-key order holds in the
 * JetStream stream they both write to.
 */
class KafkaGroupModeTest {
    private static final int RECORDS = 20_000;
    private static final int KEYS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(2);
    private static final Pattern OUT = Pattern.compile("\"recordsOut\":(\\d+)");

    @TempDir
    Path dir;

    private final String id = KafkaRecords.uniqueName("group");
    private KafkaRecords kafka;
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        kafka = new KafkaRecords(KafkaTestBroker.shared());
        nats = new JetStreamFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        kafka.close();
        nats.close();
    }

    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String OWN_FILE = "file: { path: offsets.json }";

    private Path config(String name, int port, String store) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path config = home.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  %s
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                shutdown-timeout: 20s
                connections:
                  kafka: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: shared
                    from: { connection: kafka, topic: "%s", mode: group, group: "%s" }
                    to: { connection: js, subject: "dst.%s.events" }
                    key: native
                    lanes: 16
                    max-in-flight: { records: 500 }
                """.formatted(store, port, kafka.connection(), JetStreamFixture.URL, id, id, id));
        return config;
    }

    private static long recordsOut(DaemonProcess daemon) {
        Matcher m = OUT.matcher(daemon.get("/pipelines").body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void twoDaemonsEachWithItsOwnOffsetFileShareThePartitionsAndTheOneLeftTakesOverWhatTheOtherGaveUp() throws Exception {
        shareAndTakeOver(OWN_FILE);
    }

    @Test
    void twoDaemonsOnOnePostgresOffsetStoreShareThePartitionsAndTheOneLeftTakesOverWhatTheOtherGaveUp() throws Exception {
        String schema = "group_" + id.replace('-', '_');
        try {
            shareAndTakeOver("postgres: { url: %s, user: postgres, schema: %s }".formatted(PG_URL, schema));
            try (Connection db = DriverManager.getConnection(PG_URL, "postgres", null);
                 ResultSet rs = db.createStatement().executeQuery("select count(*), count(distinct partition) from "
                         + schema + ".offsets where pipeline = 'shared'")) {
                rs.next();
                assertThat(rs.getInt(2)).as("partitions with a stored position, committed by either daemon").isEqualTo(6);
            }
        } finally {
            try (Connection db = DriverManager.getConnection(PG_URL, "postgres", null)) {
                db.createStatement().execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private void shareAndTakeOver(String store) throws Exception {
        kafka.broker.createTopic(id, 6);
        String stream = "DST_" + id.replace('-', '_');
        nats.createStream(stream, "dst." + id + ".>");
        int portA = Ports.free();
        int portB = Ports.free();
        try (DaemonProcess a = DaemonProcess.run(config("a", portA, store), portA, "--instance-id", "a");
             DaemonProcess b = DaemonProcess.run(config("b", portB, store), portB, "--instance-id", "b")) {
            a.awaitReady(Duration.ofSeconds(60));
            b.awaitReady(Duration.ofSeconds(60));
            a.await("a has partitions", Duration.ofSeconds(60), () -> a.output().contains("assigned ["));
            b.await("b has partitions", Duration.ofSeconds(60), () -> b.output().contains("assigned ["));
            kafka.publishKeyed(id, RECORDS / 2, KEYS);
            a.await("both daemons copy records", DELIVERY, () -> recordsOut(a) > 0 && recordsOut(b) > 0);

            assertThat(a.terminate(Duration.ofSeconds(60))).isZero();
            kafka.publishKeyed(id, RECORDS / 2, KEYS, RECORDS / 2 / KEYS);

            b.await("every record in JetStream", DELIVERY, () -> nats.count(stream) >= RECORDS);
            assertThat(a.output()).contains("gave up");
            assertThat(b.output()).contains("claimed beside the other daemons of its group");
            assertThat(b.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<Message> messages = nats.readAll(stream);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).hasSize(KEYS);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
    }
}
