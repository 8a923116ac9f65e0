package io.msgbridge.system;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example pipelines file under config/ (the Coze Studio migration kit in config/coze/ included) is one
 * that {@code bridge validate} accepts as shipped, as operators will copy them. A file added there is checked
 * without being named here.
 */
class ConfigExamplesTest {
    private static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();

    @TempDir
    Path work;

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(CONFIG)) {
            List<Path> examples = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !CONFIG.relativize(f).toString().contains("data/"))
                    .sorted().toList();
            assertThat(examples).as("example files under %s", CONFIG)
                    .contains(CONFIG.resolve("quickstart.yaml"), CONFIG.resolve("try.yaml"), CONFIG.resolve("coze/nsq-to-pulsar.yaml"));
            return examples;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theExampleIsValid(Path example) throws Exception {
        DaemonProcess.Result result = DaemonProcess.command(work, "validate", example.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(example + ": valid");
    }
}
