package io.msgbridge.system.rocketmq;

import io.msgbridge.system.DaemonProcess;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The RocketMQ examples of config/ are ones that {@code bridge validate} accepts, as operators will copy them. */
class RocketMqConfigExamplesTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"coze-rocketmq-to-jetstream.yaml", "nsq-to-rocketmq.yaml"})
    void theExampleIsValid(String file) throws Exception {
        Path example = Path.of("..", "config", file).toAbsolutePath().normalize();

        DaemonProcess.Result result = DaemonProcess.command(work, "validate", example.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("valid, 1 pipelines");
    }
}
