package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.config.Problem;
import io.msgbridge.spi.Connector;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Loads a config file for a command, reporting every problem at once when it is not valid. The
 * connectors are wrapped so that pipeline configs compare by value ({@link ComparableConnector}):
 * {@code run} compares the file it reloads on SIGHUP with what runs.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Loads FILE; prints its problems, then {@code N problems in FILE; nothing was started}, to {@code err}. */
    static Optional<BridgeConfig> load(Path file, PrintWriter err) {
        Optional<BridgeConfig> config = load(file, err::println, "nothing was started");
        err.flush();
        return config;
    }

    /**
     * Loads FILE; gives each problem line and each lint warning (as {@code validate} prints them), then,
     * when it has problems, a last line ending in {@code consequence}, to {@code problems}.
     */
    static Optional<BridgeConfig> load(Path file, Consumer<String> problems, String consequence) {
        return report(read(file), file, problems, consequence).config();
    }

    /** The pipeline {@code name} of {@code config}, or empty after printing which pipelines it has (for {@code --pipeline}). */
    static Optional<PipelineConfig> pipeline(BridgeConfig config, String name, PrintWriter err) {
        Optional<PipelineConfig> found = config.pipelines().stream().filter(p -> p.name().equals(name)).findFirst();
        if (found.isEmpty()) {
            err.println("--pipeline: unknown pipeline \"" + name + "\"; the file defines: "
                    + String.join(", ", config.pipelines().stream().map(PipelineConfig::name).toList()));
        }
        return found;
    }

    /** Loads FILE with the connectors on the class path, wrapped to compare by value. */
    static ConfigLoader.Result read(Path file) {
        List<Connector> connectors = ComparableConnector.wrap(
                ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get).toList());
        return ConfigLoader.load(file, System::getenv, connectors);
    }

    /** Gives the problems and warnings of {@code result} to {@code problems}, as {@link #load} does. */
    static ConfigLoader.Result report(ConfigLoader.Result result, Path file, Consumer<String> problems,
                                      String consequence) {
        Stream.concat(result.problems().stream().map(Problem::toString),
                result.warnings().stream().map(Problem::asWarning)).forEach(problems);
        if (!result.ok()) {
            problems.accept(result.problems().size() + (result.problems().size() == 1 ? " problem" : " problems")
                    + " in " + file + "; " + consequence);
        }
        return result;
    }
}
