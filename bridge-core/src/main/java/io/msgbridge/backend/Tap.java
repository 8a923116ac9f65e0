package io.msgbridge.backend;

import io.msgbridge.spi.Connector.SinkSpec;
import io.msgbridge.spi.Connector.TapFrom;
import io.msgbridge.spi.Source;

import java.util.Optional;

/** How a backend opens a tap on the destination of a {@link BackendSinkSpec} (see {@link SinkSpec#tap}). */
@FunctionalInterface
public interface Tap {
    /** No tap: the backend cannot show this destination without consuming it. */
    Tap NONE = from -> Optional.empty();

    Optional<Source> open(TapFrom from);
}
