package io.msgbridge.deadletter;

import io.msgbridge.config.DeadLetterTables;
import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.spi.Connector;

/** Dead-letter routes into tables of the offset store's PostgreSQL, for config reading. */
public final class PostgresDeadLetterTables implements DeadLetterTables {

    @Override
    public Connector.SinkSpec route(OffsetsConfig.Postgres database, String table) {
        return new PostgresDeadLetterSpec(new PostgresDeadLetterTable(database, table));
    }
}
