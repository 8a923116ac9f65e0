package io.msgbridge.offsets;

import io.msgbridge.config.OffsetsConfig;

import java.time.Duration;

/**
 * Creates the {@link OffsetStore} a config names. The returned store is not opened yet.
 *
 * <p>The daemon uses {@link #create}; operator commands ({@code bridge offsets list|set}) run beside
 * a possibly running daemon and use {@link #forOperator}.
 */
public final class OffsetStores {
    /** The shortest lease, whatever the commit interval. */
    static final Duration MIN_LEASE = Duration.ofSeconds(15);
    /** How many commit intervals a claim survives without a commit. */
    static final int LEASE_INTERVALS = 10;

    private OffsetStores() {
    }

    /** The store a daemon runs its pipelines against. */
    public static OffsetStore create(OffsetsConfig config) {
        Duration ttl = leaseTtl(config.commitInterval());
        return switch (config) {
            case OffsetsConfig.File file -> new FileOffsetStore(file.path(), ttl);
            case OffsetsConfig.Postgres postgres -> new PostgresOffsetStore(postgres, ttl);
        };
    }

    /**
     * The store an operator command uses. A file store is opened without its process lock (so that
     * {@code list} works while a daemon runs, and {@code set} refuses while one does); PostgreSQL is
     * shared by design and fences through its leases.
     */
    public static OffsetStore forOperator(OffsetsConfig config) {
        return switch (config) {
            case OffsetsConfig.File file -> FileOffsetStore.forOperator(file.path());
            case OffsetsConfig.Postgres postgres -> new PostgresOffsetStore(postgres, leaseTtl(postgres.commitInterval()));
        };
    }

    /** How long a claim lives without a commit: ten commit intervals, at least 15 seconds. */
    public static Duration leaseTtl(Duration commitInterval) {
        Duration tenIntervals = commitInterval.multipliedBy(LEASE_INTERVALS);
        return tenIntervals.compareTo(MIN_LEASE) > 0 ? tenIntervals : MIN_LEASE;
    }

    /**
     * Whether two configs name the same store with the same settings, whatever their commit intervals
     * (which only set each pipeline's default interval and the lease time).
     */
    public static boolean sameStore(OffsetsConfig a, OffsetsConfig b) {
        return withoutInterval(a).equals(withoutInterval(b));
    }

    private static OffsetsConfig withoutInterval(OffsetsConfig config) {
        return switch (config) {
            case OffsetsConfig.File file -> new OffsetsConfig.File(file.path(), Duration.ZERO);
            case OffsetsConfig.Postgres pg -> new OffsetsConfig.Postgres(pg.url(), pg.user(), pg.password(), pg.schema(),
                    pg.poolSize(), Duration.ZERO);
        };
    }

    /** Checks a PostgreSQL schema name for the store; the rule when it is not valid, else empty. */
    public static java.util.Optional<String> schemaNameProblem(String name) {
        return PostgresSchema.valid(name) ? java.util.Optional.empty() : java.util.Optional.of(PostgresSchema.RULE);
    }
}
