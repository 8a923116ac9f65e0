package io.msgbridge.offsets;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The identity of this process, {@code host:pid}: what offset files are locked under and what
 * PostgreSQL shows as the connections' application name, so an operator can tell which process to
 * stop. Pipelines are claimed under the daemon's {@link InstanceId} instead, which outlives the process.
 */
public final class LocalOwner {
    private static final String HOST = lookUpHostName();
    private static final String ID = HOST + ":" + ProcessHandle.current().pid();

    private LocalOwner() {
    }

    /** This process's owner id, {@code host:pid}. */
    public static String id() {
        return ID;
    }

    /** This host's name (the {@code HOSTNAME} variable, or {@code localhost}, when it cannot be looked up). */
    public static String hostName() {
        return HOST;
    }

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
