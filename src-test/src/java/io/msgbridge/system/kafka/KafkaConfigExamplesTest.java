package io.msgbridge.system.kafka;

import io.msgbridge.system.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka example of config/ is one that {@code bridge validate} accepts, as operators will copy it. */
class KafkaConfigExamplesTest {
    @TempDir
    Path work;

    @Test
    void theCozeKafkaToPulsarExampleIsValid() throws Exception {
        Path example = Path.of("..", "config", "coze-kafka-to-pulsar.yaml").toAbsolutePath().normalize();

        DaemonProcess.Result result = DaemonProcess.command(work, "validate", example.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("valid, 1 pipelines");
    }
}
