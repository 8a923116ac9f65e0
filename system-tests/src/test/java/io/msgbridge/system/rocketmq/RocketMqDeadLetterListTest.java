package io.msgbridge.system.rocketmq;

import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline dead-letters every record into a RocketMQ topic (each is larger than the sink allows);
 * {@code dlq list} reads that route back: every dead letter with its error, filtered by key, and listing
 * again shows the same (nothing was consumed).
 */
class RocketMqDeadLetterListTest {
    private static final int RECORDS = 200;
    private static final int KEYS = 4;

    @TempDir
    Path dir;

    private final String id = RocketMqTestClient.uniqueTopic("dlq");
    private RocketMqTestClient rocketmq;
    private RocketMqTestClient.Collector deadLetters;

    @BeforeEach
    void setUp() throws Exception {
        rocketmq = new RocketMqTestClient(RocketMqTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (deadLetters != null) {
            deadLetters.close();
        }
        rocketmq.close();
    }

    @Test
    void dlqListReadsARocketMqRouteBackWithoutConsumingIt() throws Exception {
        RocketMqTestBroker broker = RocketMqTestBroker.shared();
        rocketmq.publishKeyed(id + "-src", RECORDS, KEYS, 0);
        rocketmq.createTopic(id + "-dst");
        rocketmq.createTopic(id + "-dlq");
        deadLetters = rocketmq.collect(id + "-dlq");
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  rmq: { type: rocketmq, name-server: "%s", access-key: %s, secret-key: %s }
                pipelines:
                  - name: copy
                    from: { connection: rmq, topic: %s-src }
                    to: { connection: rmq, topic: %s-dst, max-message-size: 4 }
                    dead-letter: { connection: rmq, topic: %s-dlq }
                    key: native
                """.formatted(broker.nameServer(), RocketMqTestBroker.ACCESS_KEY, RocketMqTestBroker.SECRET_KEY, id, id, id));
        try (DaemonProcess daemon = config.run()) {
            daemon.await("every record dead-lettered", Duration.ofSeconds(60), () -> deadLetters.count() >= RECORDS);
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        }

        DaemonProcess.Result all = DaemonProcess.command(dir, "dlq", "list", config.path(), "--pipeline", "copy");
        assertThat(all.exitCode()).as(all.output()).isZero();
        assertThat(all.output()).contains(RECORDS + " dead letters of pipeline copy").contains("PermanentException")
                .contains(id + "-src/broker-a/");

        DaemonProcess.Result oneKey = DaemonProcess.command(dir, "dlq", "list", config.path(), "--pipeline", "copy",
                "--key", "key-1", "--format", "json");
        assertThat(oneKey.exitCode()).as(oneKey.output()).isZero();
        assertThat(oneKey.output().lines().filter(line -> line.startsWith("{"))).hasSize(RECORDS / KEYS)
                .allSatisfy(line -> assertThat(line).contains("\"key\":\"key-1\"").contains("\"stage\":\"sink\""));

        DaemonProcess.Result again = DaemonProcess.command(dir, "dlq", "list", config.path(), "--pipeline", "copy");
        assertThat(again.output()).as("listing consumes nothing").contains(RECORDS + " dead letters of pipeline copy");
        assertThat(deadLetters.count()).isEqualTo(RECORDS);
    }
}
