package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.Problem;
import io.msgbridge.spi.Connector;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

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
     * Loads FILE; gives each problem line (as {@code validate} prints it), then a last line ending in
     * {@code consequence}, to {@code problems}.
     */
    static Optional<BridgeConfig> load(Path file, Consumer<String> problems, String consequence) {
        List<Connector> connectors = ComparableConnector.wrap(
                ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get).toList());
        ConfigLoader.Result result = ConfigLoader.load(file, System::getenv, connectors);
        for (Problem problem : result.problems()) {
            problems.accept(problem.toString());
        }
        if (!result.ok()) {
            problems.accept(result.problems().size() + (result.problems().size() == 1 ? " problem" : " problems")
                    + " in " + file + "; " + consequence);
        }
        return result.config();
    }
}
