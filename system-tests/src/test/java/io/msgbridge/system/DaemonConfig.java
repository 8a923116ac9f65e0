package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import io.msgbridge.testing.Postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A system test's config file, {@code bridge.yaml} in a directory of the test's: the offset store,
 * committed every 200 ms, and the HTTP endpoint on a free port, then the test's own part (connections,
 * pipelines, other settings). {@link #close()} drops the PostgreSQL schema it made, if any.
 */
public final class DaemonConfig implements AutoCloseable {
    private final Path file;
    private final String store;
    private final String rest;
    private final String schema;
    private final int httpPort;

    private DaemonConfig(Path dir, String store, String rest, String schema) throws IOException {
        this.file = dir.resolve("bridge.yaml");
        this.store = store;
        this.rest = rest;
        this.schema = schema;
        this.httpPort = Ports.free();
        Files.writeString(file, """
                offsets:
                  %s
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                """.formatted(store, httpPort) + rest);
    }

    /** Offsets in a PostgreSQL schema of its own, {@code PREFIX_} and ten random hex digits. */
    public static DaemonConfig postgres(Path dir, String schemaPrefix, String rest) throws IOException {
        String schema = schemaPrefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return new DaemonConfig(dir, "postgres: { url: %s, user: %s, schema: %s }".formatted(Postgres.URL, Postgres.USER, schema),
                rest, schema);
    }

    /** Offsets in {@code offsets.json} next to the config file. */
    public static DaemonConfig offsetFile(Path dir, String rest) throws IOException {
        return offsets(dir, "file: { path: offsets.json }", rest);
    }

    /** Offsets in the store that {@code store} describes (the entry under {@code offsets:}), left as they are by {@link #close()}. */
    public static DaemonConfig offsets(Path dir, String store, String rest) throws IOException {
        return new DaemonConfig(dir, store, rest, null);
    }

    /**
     * The same config for another daemon, in {@code dir} (created if need be) with an HTTP port of its own:
     * on the same PostgreSQL schema, or with an offset file of its own. This config drops the schema.
     */
    public DaemonConfig beside(Path dir) throws IOException {
        return new DaemonConfig(Files.createDirectories(dir), store, rest, null);
    }

    public Path file() {
        return file;
    }

    /** The PostgreSQL schema this config made, or null. */
    public String schema() {
        return schema;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Starts {@code bridge run} on this file, with {@code options} after it. */
    public DaemonProcess run(String... options) throws IOException {
        return DaemonProcess.run(file, httpPort, options);
    }

    /** The stream sequence {@code pipeline} has committed in this config's schema, 0 before its first commit. */
    public long committed(String pipeline) {
        return Postgres.committed(schema, pipeline);
    }

    /** The file's path, as a command-line argument. */
    public String path() {
        return file.toString();
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            Postgres.dropSchema(schema);
        }
    }
}
