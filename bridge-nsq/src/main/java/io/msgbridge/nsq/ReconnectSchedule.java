package io.msgbridge.nsq;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Per nsqd address, when to try connecting again: {@code reconnect-wait}, doubling up to 30 s. Thread-safe. */
final class ReconnectSchedule {
    private static final Duration MAX = Duration.ofSeconds(30);

    private final Duration first;
    private final Map<NsqAddress, long[]> next = new HashMap<>();

    ReconnectSchedule(Duration first) {
        this.first = first;
    }

    synchronized boolean due(NsqAddress address, long nowNanos) {
        long[] entry = next.get(address);
        return entry == null || nowNanos >= entry[0];
    }

    synchronized void failed(NsqAddress address, long nowNanos) {
        long[] entry = next.computeIfAbsent(address, a -> new long[] {0, first.toNanos() / 2});
        entry[1] = Math.min(MAX.toNanos(), Math.max(first.toNanos(), entry[1] * 2));
        entry[0] = nowNanos + entry[1];
    }

    synchronized void succeeded(NsqAddress address) {
        next.remove(address);
    }
}
