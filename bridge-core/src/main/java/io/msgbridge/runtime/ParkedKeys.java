package io.msgbridge.runtime;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys a pipeline has parked ({@code on-poison: park-key}) and how many records each holds, as the
 * lanes report them; read by the status endpoint and the metrics from other threads.
 */
final class ParkedKeys {
    private final Map<String, Integer> depths = new ConcurrentHashMap<>();

    void parked(String key, int depth) {
        depths.put(key, depth);
    }

    void unparked(String key) {
        depths.remove(key);
    }

    long count() {
        return depths.size();
    }

    long records() {
        return depths.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** The parked keys. */
    Set<String> keys() {
        return Set.copyOf(depths.keySet());
    }

    /** Key to held records, sorted by key. */
    Map<String, Integer> snapshot() {
        return new TreeMap<>(depths);
    }
}
