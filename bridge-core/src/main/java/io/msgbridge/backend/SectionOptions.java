package io.msgbridge.backend;

import io.msgbridge.spi.Connector.SinkSpec;
import io.msgbridge.spi.Connector.SourceSpec;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SinkTraits;
import io.msgbridge.spi.SourceTraits;

/** A backend's checked {@code from:}, {@code to:} or {@code dead-letter:} options. */
public interface SectionOptions {
    /** Backend and topic/subject, as {@link SourceSpec#describe()} and {@link SinkSpec#describe()} give it. No secrets. */
    String describe();

    /** For {@code from:} options: see {@link SourceSpec#position}. */
    default Position position(String partition, String offset) {
        return Connector.anyPosition(partition, offset);
    }

    /** For {@code from:} options: see {@link SourceSpec#sharesPartitions()}. */
    default boolean sharesPartitions() {
        return false;
    }

    /** For {@code from:} options: see {@link SourceSpec#traits()}. */
    default SourceTraits sourceTraits() {
        return SourceTraits.UNKNOWN;
    }

    /** For {@code to:} options: see {@link SinkSpec#traits()}. */
    default SinkTraits sinkTraits() {
        return SinkTraits.UNKNOWN;
    }
}
