package io.msgbridge.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers tests start (brokers, daemons, proxies). They come from 20000-31999, below
 * Linux's ephemeral range (32768-60999), not from a port-0 probe: a port the kernel handed out once
 * can be handed out again to any outgoing connection or port-0 listener before the server binds it,
 * and a starting Pulsar standalone opens such sockets itself (its bookie takes a random ephemeral
 * port), so a probed port could be taken by the very broker that was to listen on it. Each JVM walks
 * the range from a random start, so two JVMs do not pick the same ports one after the other.
 */
public final class Ports {
    private static final int LOW = 20_000;
    private static final int SIZE = 12_000;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(SIZE));

    private Ports() {
    }

    /** A port nothing listens on right now, on any address. */
    public static int free() throws IOException {
        for (int tries = 0; tries < SIZE; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement(), SIZE);
            try (ServerSocket probe = new ServerSocket(port)) {
                return probe.getLocalPort();
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IOException("no free port in " + LOW + "-" + (LOW + SIZE - 1));
    }
}
