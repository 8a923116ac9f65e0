package io.msgbridge.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a checked {@code to:} section tells {@code bridge validate}'s lint about how it writes
 * ({@link Connector.SinkSpec#traits()}). Only for warnings: the runtime never reads it.
 * {@link #UNKNOWN} claims nothing, so no warning comes of it.
 *
 * @param dedupOption     the section's key that asks for effectively-once by deduplicating on the
 *                        source's sequence ({@code dedup} on Pulsar), when it is set: it does nothing
 *                        for a source without sequences
 * @param duplicateWindow how long the broker remembers ids to drop replays, where the section sets it
 */
public record SinkTraits(Optional<String> dedupOption, Optional<Window> duplicateWindow) {
    /** Claims nothing. */
    public static final SinkTraits UNKNOWN = new SinkTraits(Optional.empty(), Optional.empty());

    public SinkTraits {
        Objects.requireNonNull(dedupOption, "dedupOption");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
    }

    /**
     * A deduplication window set in the section.
     *
     * @param option the key that sets it, dotted below the section, e.g. {@code create-stream.duplicate-window}
     * @param length how long
     */
    public record Window(String option, Duration length) {
        public Window {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(length, "length");
        }
    }
}
