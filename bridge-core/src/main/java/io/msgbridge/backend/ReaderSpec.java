package io.msgbridge.backend;

import io.msgbridge.spi.Connector.SourceSpec;
import io.msgbridge.spi.Source;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The spec of a source that reads without consuming ({@link SourceSpec#reader()}): what a sink with a
 * fixed topic wrote, or what a source reads. Its positions are the backend's usual ones.
 *
 * @param describe backend and topics for logs, e.g. {@code kafka:read-back orders}; no secrets
 * @param factory  makes a new reading source each time
 */
public record ReaderSpec(String describe, Supplier<? extends Source> factory) implements SourceSpec {
    public ReaderSpec {
        Objects.requireNonNull(describe, "describe");
        Objects.requireNonNull(factory, "factory");
    }

    @Override
    public Source create() {
        return factory.get();
    }
}
