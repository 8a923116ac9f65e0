package io.msgbridge.testing;

import io.msgbridge.config.ConfigLoader;
import io.msgbridge.spi.Connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A config file with one connection and one pipeline {@code mirror} on it, read through the real config
 * loader: how a backend's config tests read its sections, with the paths and messages users see.
 */
public final class OnePipelineFile {
    private OnePipelineFile() {
    }

    /**
     * Writes {@code bridge.yaml} into {@code dir} and loads it.
     *
     * @param env        the environment for {@code ${VAR}} in the sections
     * @param name       the connection's name, which {@code from} and {@code to} refer to
     * @param connection the {@code connections.NAME} section, in YAML flow style like the others
     */
    public static ConfigLoader.Result load(Path dir, Connector connector, Map<String, String> env, String name, String connection,
                                           String from, String to) throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                connections:
                  %s: %s
                pipelines:
                  - name: mirror
                    from: %s
                    to: %s
                """.formatted(name, connection, from, to));
        return ConfigLoader.load(file, env::get, List.of(connector));
    }

    /** The problems as {@code path: message}. */
    public static List<String> problems(ConfigLoader.Result result) {
        return result.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
}
