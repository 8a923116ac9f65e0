package io.msgbridge.runtime;

import java.util.Map;
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

    long keys() {
        return depths.size();
    }

    long records() {
        return depths.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Key to held records, sorted by key. */
    Map<String, Integer> snapshot() {
        return new TreeMap<>(depths);
    }
}
