package io.msgbridge.offsets;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The identity this process claims pipelines and locks offset files under: {@code host:pid}. Stores
 * name it in their refusals, so an operator can tell which daemon to stop.
 */
public final class LocalOwner {
    private static final String ID = hostName() + ":" + ProcessHandle.current().pid();

    private LocalOwner() {
    }

    /** This process's owner id, {@code host:pid}. */
    public static String id() {
        return ID;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
