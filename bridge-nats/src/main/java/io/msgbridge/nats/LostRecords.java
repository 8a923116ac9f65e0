package io.msgbridge.nats;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a key's records from overtaking, on a new connection, a record of that key which the
 * connection lost.
 *
 * <p>The runtime may have several records of one key at the sink at once ({@link NatsSink#ordering()});
 * when one fails it publishes that one again, and everything after it. But it learns of the failure on
 * its own thread, a moment after the connection dropped: if the sink is connected again by then, the
 * runtime could already have published the key's next record on the new connection, which would be
 * stored before the lost one. So once a record of a key failed because the connection was down, a
 * record of that key that never failed that way is refused (retriable) until one that did is published
 * again: that is where the runtime's rewind starts. A lost record published again lifts the hold for
 * its key. Thread-safe; costs one emptiness check per publish while nothing is lost.
 */
final class LostRecords {
    private static final String NO_KEY = "\u0000no key";

    private final ConcurrentHashMap<String, Set<String>> lostIdsByKey = new ConcurrentHashMap<>();

    /** The record {@code id} of {@code key} (null: no key) failed because the connection was down. */
    void lost(String key, String id) {
        lostIdsByKey.computeIfAbsent(key == null ? NO_KEY : key, k -> ConcurrentHashMap.newKeySet()).add(id);
    }

    /** Whether the record may be published now; a lost record of its key being published lifts the hold. */
    boolean admits(String key, String id) {
        if (lostIdsByKey.isEmpty()) {
            return true;
        }
        String k = key == null ? NO_KEY : key;
        Set<String> ids = lostIdsByKey.get(k);
        if (ids == null) {
            return true;
        }
        if (ids.contains(id)) {
            lostIdsByKey.remove(k, ids);
            return true;
        }
        return false;
    }

    /** Keys held back now. */
    int heldKeys() {
        return lostIdsByKey.size();
    }
}
