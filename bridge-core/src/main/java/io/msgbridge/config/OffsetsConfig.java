package io.msgbridge.config;

import java.nio.file.Path;
import java.time.Duration;

/** Where the daemon stores positions: a local file (the default) or PostgreSQL. */
public sealed interface OffsetsConfig {

    /** How often each pipeline commits its watermarks. */
    Duration commitInterval();

    /**
     * The embedded default: one JSON file, rewritten atomically (temp file, fsync, rename).
     *
     * @param path the offsets file; default {@code ./data/offsets.json} beside the config file
     */
    record File(Path path, Duration commitInterval) implements OffsetsConfig {
    }

    /**
     * PostgreSQL through HikariCP.
     *
     * @param url      JDBC URL, {@code jdbc:postgresql://host:port/db}
     * @param user     user name
     * @param password password, or null for trust/peer auth
     * @param schema   schema holding the daemon's tables (created on start), default {@code bridge}
     * @param poolSize the most connections, default 4
     */
    record Postgres(String url, String user, Secret password, String schema, int poolSize,
                    Duration commitInterval) implements OffsetsConfig {
    }
}
