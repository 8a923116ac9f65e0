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
    private OffsetStores() {
    }

    /** The store a daemon runs its pipelines against. */
    public static OffsetStore create(OffsetsConfig config) {
        return switch (config) {
            case OffsetsConfig.File file -> new FileOffsetStore(file.path(), file.leaseTtl());
            case OffsetsConfig.Postgres postgres -> new PostgresOffsetStore(postgres, postgres.leaseTtl());
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
            case OffsetsConfig.Postgres postgres -> new PostgresOffsetStore(postgres, postgres.leaseTtl());
        };
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
}
