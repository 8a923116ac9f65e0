package io.msgbridge.config;

import io.msgbridge.spi.Connector;

import java.util.ServiceLoader;

/**
 * Makes the dead-letter route of a {@code dead-letter: { postgres: { table: NAME } }} section. The
 * dead-letter store implements it and is found with {@link ServiceLoader}, as backends are: the store
 * is built from config values, so config reading cannot name it without a package cycle.
 */
public interface DeadLetterTables {

    /** A route into {@code table} (a valid {@link PostgresNames} name) of the offset store's database. */
    Connector.SinkSpec route(OffsetsConfig.Postgres database, String table);

    /** The one implementation on the class path. */
    static DeadLetterTables find() {
        return ServiceLoader.load(DeadLetterTables.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no " + DeadLetterTables.class.getName() + " in META-INF/services: bridge-core's jar is incomplete"));
    }
}
