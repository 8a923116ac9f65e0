package io.msgbridge.backend;

import io.msgbridge.spi.Connector.SourceSpec;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceTraits;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A source spec that is what most backends need: the checked connection and {@code from:} options,
 * how a source is made of them, and how it is read without consuming (see {@link SourceSpec#reader()}).
 */
public record BackendSourceSpec<C, O extends SectionOptions>(C connection, O options, BiFunction<C, O, ? extends Source> factory,
                                                             Optional<SourceSpec> reader) implements SourceSpec {
    /** A source that cannot be read without consuming it. */
    public BackendSourceSpec(C connection, O options, BiFunction<C, O, ? extends Source> factory) {
        this(connection, options, factory, Optional.empty());
    }

    @Override
    public Source create() {
        return factory.apply(connection, options);
    }

    @Override
    public String describe() {
        return options.describe();
    }

    @Override
    public Position position(String partition, String offset) {
        return options.position(partition, offset);
    }

    @Override
    public boolean sharesPartitions() {
        return options.sharesPartitions();
    }

    @Override
    public SourceTraits traits() {
        return options.sourceTraits();
    }
}
