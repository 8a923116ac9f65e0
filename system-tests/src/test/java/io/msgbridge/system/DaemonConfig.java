package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import io.msgbridge.testing.Postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A system test's config file, {@code bridge.yaml} in the test's directory: the offsets in a PostgreSQL
 * schema of the test's own, committed every 200 ms, and the HTTP endpoint on a free port, then the
 * test's own part (connections, pipelines). {@link #close()} drops the schema.
 *
 * @param file     the config file
 * @param schema   the offset store's schema, {@code PREFIX_} and ten random hex digits
 * @param httpPort the port of {@code http.listen}
 */
public record DaemonConfig(Path file, String schema, int httpPort) implements AutoCloseable {

    /** Writes {@code dir/bridge.yaml}: the offsets and HTTP sections, then {@code rest}. */
    public static DaemonConfig write(Path dir, String schemaPrefix, String rest) throws IOException {
        String schema = schemaPrefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int httpPort = Ports.free();
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                offsets:
                  postgres: { url: %s, user: %s, schema: %s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                """.formatted(Postgres.URL, Postgres.USER, schema, httpPort) + rest);
        return new DaemonConfig(file, schema, httpPort);
    }

    /** Starts {@code bridge run} on this file. */
    public DaemonProcess run() throws IOException {
        return DaemonProcess.run(file, httpPort);
    }

    /** The stream sequence {@code pipeline} has committed, 0 before its first commit. */
    public long committed(String pipeline) {
        return Postgres.committed(schema, pipeline);
    }

    /** The file's path, as a command-line argument. */
    public String path() {
        return file.toString();
    }

    @Override
    public void close() throws SQLException {
        Postgres.dropSchema(schema);
    }
}
