package io.msgbridge.daemon;

import io.msgbridge.config.HttpConfig;

import java.net.URI;

/** Where the commands that talk to a running daemon find its HTTP endpoint. */
final class DaemonEndpoint {
    private DaemonEndpoint() {
    }

    /** {@code path} on the daemon of {@code http}; a daemon listening on every address is asked on loopback. */
    static URI uri(HttpConfig http, String path) {
        String host = http.host().equals("0.0.0.0") ? "127.0.0.1" : http.host();
        return URI.create("http://" + host + ":" + http.port() + path);
    }
}
