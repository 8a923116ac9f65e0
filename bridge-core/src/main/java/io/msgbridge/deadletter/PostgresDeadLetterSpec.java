package io.msgbridge.deadletter;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Sink;

import java.util.Optional;

/**
 * A checked {@code dead-letter: { postgres: { table: NAME } }} section: a dead-letter route into a
 * table of the offset store's PostgreSQL (its URL, user, password and schema). Its
 * {@link #reader()} reads the table back for {@code bridge dlq list|replay}.
 */
public record PostgresDeadLetterSpec(PostgresDeadLetterTable table) implements Connector.SinkSpec {

    @Override
    public Sink create() {
        return new PostgresDeadLetterSink(table);
    }

    @Override
    public String describe() {
        return table.describe();
    }

    @Override
    public Optional<Connector.SourceSpec> reader() {
        return Optional.of(new Connector.SourceSpec() {
            @Override
            public io.msgbridge.spi.Source create() {
                return new PostgresDeadLetterSource(table);
            }

            @Override
            public String describe() {
                return table.describe();
            }
        });
    }
}
