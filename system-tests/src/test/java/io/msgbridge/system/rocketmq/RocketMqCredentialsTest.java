package io.msgbridge.system.rocketmq;

import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACL credentials on a broker with authentication and authorisation on: the right secret key works; a
 * wrong one fails its pipeline with an error that names the connection and never the secret, while the
 * other pipeline keeps running.
 */
class RocketMqCredentialsTest {
    private static final int RECORDS = 1000;
    private static final String WRONG_SECRET = "not-the-secret-key-4711";

    @TempDir
    Path dir;

    private final String id = RocketMqTestClient.uniqueTopic("acl");
    private RocketMqTestClient rocketmq;
    private RocketMqTestClient.Collector collector;

    @BeforeEach
    void setUp() throws Exception {
        rocketmq = new RocketMqTestClient(RocketMqTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (collector != null) {
            collector.close();
        }
        rocketmq.close();
    }

    @Test
    void theRightSecretWorksAndAWrongOneFailsOnlyItsPipelineWithoutShowingTheSecret() throws Exception {
        RocketMqTestBroker broker = RocketMqTestBroker.shared();
        Files.writeString(dir.resolve("secret-key"), RocketMqTestBroker.SECRET_KEY + "\n");
        String source = id + "-src";
        String target = id + "-dst";
        rocketmq.publishKeyed(source, RECORDS, 10, 0);
        rocketmq.createTopic(target);
        collector = rocketmq.collect(target);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  trusted: { type: rocketmq, name-server: "%s", access-key: %s, secret-key: "${file:secret-key}" }
                  intruder: { type: rocketmq, name-server: "%s", access-key: %s, secret-key: "%s" }
                pipelines:
                  - name: works
                    from: { connection: trusted, topic: %s }
                    to: { connection: trusted, topic: %s }
                  - name: refused
                    from: { connection: intruder, topic: %s }
                    to: { connection: trusted, topic: %s-never }
                """.formatted(broker.nameServer(), RocketMqTestBroker.ACCESS_KEY, broker.nameServer(),
                RocketMqTestBroker.ACCESS_KEY, WRONG_SECRET, source, target, source, target));

        try (DaemonProcess daemon = config.run()) {
            daemon.await("the refused pipeline failed, naming its connection", Duration.ofSeconds(60), () -> {
                String status = daemon.get("/pipelines").body();
                return status.contains("FAILED") && status.contains("connection 'intruder'") && status.contains("credentials");
            });
            daemon.await("the other pipeline copies everything", Duration.ofSeconds(60), () -> collector.count() >= RECORDS);
            assertThat(daemon.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(daemon.get("/pipelines").body()).doesNotContain(WRONG_SECRET).doesNotContain(RocketMqTestBroker.SECRET_KEY);
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(daemon.output()).contains("intruder").doesNotContain(WRONG_SECRET).doesNotContain(RocketMqTestBroker.SECRET_KEY);
        }
        assertThat(collector.count()).isEqualTo(RECORDS);
    }
}
