package io.msgbridge.config;

import io.msgbridge.spi.Connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Writes config files into a test's temp dir and loads them with a given environment and connectors. */
final class ConfigFiles {
    private final Path dir;
    private Map<String, String> env = Map.of();
    private Collection<Connector> connectors = List.of(new TestConnector());

    ConfigFiles(Path dir) {
        this.dir = dir;
    }

    ConfigFiles env(Map<String, String> env) {
        this.env = env;
        return this;
    }

    ConfigFiles connectors(Connector... connectors) {
        this.connectors = List.of(connectors);
        return this;
    }

    Path write(String name, String content) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    ConfigLoader.Result load(String yaml) {
        return ConfigLoader.load(write("bridge.yaml", yaml), env::get, connectors);
    }

    /** The problems of {@code yaml} as {@code LINE:COLUMN: path: message}, without the file name. */
    List<String> problems(String yaml) {
        return problemsOf(load(yaml));
    }

    static List<String> problemsOf(ConfigLoader.Result result) {
        return result.problems().stream()
                .map(p -> p.line() + ":" + p.column() + ": " + p.path() + ": " + p.message())
                .toList();
    }
}
