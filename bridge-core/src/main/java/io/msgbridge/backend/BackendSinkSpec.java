package io.msgbridge.backend;

import io.msgbridge.spi.Connector.SinkSpec;
import io.msgbridge.spi.Connector.SourceSpec;
import io.msgbridge.spi.Connector.TapFrom;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkTraits;
import io.msgbridge.spi.Source;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A sink spec that is what most backends need: the checked connection and {@code to:} options, how a
 * sink is made of them, how what it wrote is read back (see {@link SinkSpec#reader()}) and how what
 * arrives there is tapped (see {@link SinkSpec#tap}).
 */
public record BackendSinkSpec<C, O extends SectionOptions>(C connection, O options, BiFunction<C, O, ? extends Sink> factory,
                                                           Optional<SourceSpec> reader, Tap tapper) implements SinkSpec {
    public BackendSinkSpec(C connection, O options, BiFunction<C, O, ? extends Sink> factory, Optional<SourceSpec> reader) {
        this(connection, options, factory, reader, Tap.NONE);
    }

    @Override
    public Optional<Source> tap(TapFrom from) {
        return tapper.open(from);
    }

    @Override
    public Sink create() {
        return factory.apply(connection, options);
    }

    @Override
    public String describe() {
        return options.describe();
    }

    @Override
    public SinkTraits traits() {
        return options.sinkTraits();
    }
}
