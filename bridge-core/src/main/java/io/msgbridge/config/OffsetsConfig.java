package io.msgbridge.config;

import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.time.Duration;

/** Where the daemon stores positions: a local file (the default) or PostgreSQL. */
public sealed interface OffsetsConfig {
    /** The shortest lease, whatever the commit interval. */
    Duration MIN_LEASE = Duration.ofSeconds(15);
    /** How many commit intervals a claim survives without a commit. */
    int LEASE_INTERVALS = 10;

    /** How often each pipeline commits its watermarks. */
    Duration commitInterval();

    /** How long a claim lives without a commit: ten commit intervals, at least 15 seconds. */
    default Duration leaseTtl() {
        Duration tenIntervals = commitInterval().multipliedBy(LEASE_INTERVALS);
        return tenIntervals.compareTo(MIN_LEASE) > 0 ? tenIntervals : MIN_LEASE;
    }

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
