package io.msgbridge.nats;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A stream the sink creates at start when it is missing ({@code create-stream:}). An existing
 * stream is used as it is, never changed.
 *
 * @param name            the stream name
 * @param subjects        the subjects it captures, at least one
 * @param storage         file or memory
 * @param duplicateWindow how long {@code Nats-Msg-Id}s are remembered for deduplication
 * @param maxAge          how long messages are kept; {@link Duration#ZERO} keeps them without limit
 */
public record CreateStreamOptions(String name, List<String> subjects, Storage storage, Duration duplicateWindow, Duration maxAge) {

    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2);

    /** Where the stream keeps its messages. */
    public enum Storage { FILE, MEMORY }

    public CreateStreamOptions {
        Objects.requireNonNull(name, "name");
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        Objects.requireNonNull(maxAge, "maxAge");
    }
}
