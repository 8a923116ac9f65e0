package io.msgbridge.system.pulsar;

import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pulsar read without consuming, through the CLI: {@code bridge dlq list} shows the dead letters on a
 * Pulsar dead-letter route, and {@code bridge verify} says drained on a JetStream -> Pulsar pipeline
 * (dead letters counted, not expected at the sink) and on a Pulsar -> JetStream one (a partitioned
 * source topic, compared up to the positions the pipeline committed).
 */
class PulsarVerifyAndDeadLettersTest {
    private static final int RECORDS = 300;
    private static final int KEYS = 5;
    private static final int POISON = 3;

    @TempDir
    Path dir;

    @Test
    void dlqListShowsThePulsarDeadLettersAndVerifySaysDrainedBothWays() throws Exception {
        String id = PulsarRecords.uniqueName("pvd");
        String stream = "SRC_" + id.replace('-', '_');
        String copyStream = "DST_" + id.replace('-', '_');
        String target = PulsarRecords.topic(id + "-copy");
        String deadLetters = PulsarRecords.topic(id + "-dlq");
        String source = PulsarRecords.topic(id + "-in");
        try (PulsarRecords pulsar = new PulsarRecords(PulsarTestBroker.shared()); JetStreamFixture nats = new JetStreamFixture()) {
            DaemonConfig config = DaemonConfig.offsetFile(dir, """
                    connections:
                      pulsar: %s
                      js: { type: nats, servers: [%s] }
                    pipelines:
                      - name: js2p
                        key: json:/k
                        from: { connection: js, stream: %s }
                        to: { connection: pulsar, topic: "%s" }
                        dead-letter: { connection: pulsar, topic: "%s" }
                      - name: p2js
                        key: json:/k
                        from: { connection: pulsar, topic: "%s" }
                        to: { connection: js, subject: "dst.%s.events" }
                    """.formatted(pulsar.connection(), JetStreamFixture.URL, stream, target, deadLetters, source, id));
            nats.createStream(stream, "src." + id + ".>");
            nats.createStream(copyStream, "dst." + id + ".>");
            nats.publishKeyed("src." + id + ".events", RECORDS, KEYS);
            for (int i = 0; i < POISON; i++) {
                nats.js.publish("src." + id + ".events", ("not json " + i).getBytes(StandardCharsets.UTF_8));
            }
            pulsar.broker.createPartitionedTopic(id + "-in", 2);
            pulsar.publishKeyed(source, RECORDS, KEYS);
            PulsarRecords.Collector copied = pulsar.collect(target);
            PulsarRecords.Collector dead = pulsar.collect(deadLetters);

            try (DaemonProcess daemon = config.run()) {
                daemon.await("both pipelines copied everything", Duration.ofMinutes(2),
                        () -> copied.count() == RECORDS && dead.count() == POISON && nats.count(copyStream) == RECORDS);
                assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            }

            DaemonProcess.Result list = DaemonProcess.command(dir, "dlq", "list", config.path(), "--pipeline", "js2p", "--payload");
            assertThat(list.exitCode()).as(list.output()).isZero();
            assertThat(list.output()).contains(POISON + " dead letters of pipeline js2p")
                    .contains("not json 0", "not json 1", "not json 2").contains("key");
            assertThat(dead.count()).as("listing consumes nothing").isEqualTo(POISON);

            DaemonProcess.Result js2p = DaemonProcess.command(dir, "verify", config.path(), "--pipeline", "js2p");
            assertThat(js2p.exitCode()).as(js2p.output()).isZero();
            assertThat(js2p.output())
                    .contains("sink (pulsar:read-back " + target + "): " + RECORDS + " records")
                    .contains("dead letters: " + POISON + " (not expected at the sink)")
                    .contains("verdict: drained: every source record up to position " + stream + "@" + (RECORDS + POISON)
                            + " is at the sink in order (" + KEYS + " keys, " + RECORDS + " records)");

            DaemonProcess.Result p2js = DaemonProcess.command(dir, "verify", config.path(), "--pipeline", "p2js");
            assertThat(p2js.exitCode()).as(p2js.output()).isZero();
            assertThat(p2js.output())
                    .contains("source (pulsar:read " + source + "): " + RECORDS + " records up to the committed positions, in "
                            + KEYS + " keys; 0 after them")
                    .containsPattern("verdict: drained: every source record up to positions? " + source + "-partition-\\d@")
                    .contains("is at the sink in order (" + KEYS + " keys, " + RECORDS + " records)");
        }
    }
}
