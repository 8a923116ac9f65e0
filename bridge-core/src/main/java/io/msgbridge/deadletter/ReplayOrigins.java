package io.msgbridge.deadletter;

import io.msgbridge.spi.Position;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dead letters being replayed said about themselves, by their position in the dead-letter
 * route, from when the replay source hands one out until it is done: the replay's dead-letter route
 * uses it to send a record that fails again back with its origin, attempts and replay count. Holds at
 * most the replay pipeline's in-flight records.
 */
final class ReplayOrigins {
    private final Map<Position, DeadLetter> origins = new ConcurrentHashMap<>();

    void handedOut(Position at, DeadLetter origin) {
        origins.put(at, origin);
    }

    void done(Position at) {
        origins.remove(at);
    }

    Optional<DeadLetter> of(Position at) {
        return Optional.ofNullable(origins.get(at));
    }
}
