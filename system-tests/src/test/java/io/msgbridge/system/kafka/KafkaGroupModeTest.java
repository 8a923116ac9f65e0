package io.msgbridge.system.kafka;

import io.msgbridge.kafka.KafkaTestBroker;
import io.msgbridge.system.GroupModeTakeOver;
import io.msgbridge.testing.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemons run one pipeline in {@code mode: group} on a topic of 6 partitions, each with its own offset
 * file, or both on one PostgreSQL offset store: both get partitions; one is stopped with SIGTERM and the
 * other takes its partitions from where it committed them. Nothing is lost and per-key order holds in the
 * JetStream stream they both write to ({@link GroupModeTakeOver}).
 */
class KafkaGroupModeTest {
    @TempDir
    Path dir;

    private final String id = KafkaRecords.uniqueName("group");
    private KafkaRecords kafka;

    @BeforeEach
    void setUp() {
        kafka = new KafkaRecords(KafkaTestBroker.shared());
    }

    @AfterEach
    void tearDown() {
        kafka.close();
    }

    @Test
    void twoDaemonsEachWithItsOwnOffsetFileShareThePartitionsAndTheOneLeftTakesOverWhatTheOtherGaveUp() throws Exception {
        shareAndTakeOver("file: { path: offsets.json }");
    }

    @Test
    void twoDaemonsOnOnePostgresOffsetStoreShareThePartitionsAndTheOneLeftTakesOverWhatTheOtherGaveUp() throws Exception {
        String schema = "group_" + id.replace('-', '_');
        try {
            shareAndTakeOver("postgres: { url: %s, user: %s, schema: %s }".formatted(Postgres.URL, Postgres.USER, schema));
            try (Connection db = Postgres.connect();
                 ResultSet rs = db.createStatement().executeQuery("select count(*), count(distinct partition) from "
                         + schema + ".offsets where pipeline = 'shared'")) {
                rs.next();
                assertThat(rs.getInt(2)).as("partitions with a stored position, committed by either daemon").isEqualTo(6);
            }
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    private void shareAndTakeOver(String store) throws Exception {
        kafka.broker.createTopic(id, 6);
        GroupModeTakeOver.run(dir, id, store, kafka.connection(), "topic: \"%s\", mode: group, group: \"%s\"".formatted(id, id),
                (count, keys, firstPerKey) -> kafka.publishKeyed(id, count, keys, firstPerKey));
    }
}
