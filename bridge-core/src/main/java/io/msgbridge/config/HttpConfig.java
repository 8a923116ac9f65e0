package io.msgbridge.config;

import io.msgbridge.spi.Secret;

import java.util.Optional;

/**
 * The HTTP endpoint ({@code /metrics}, {@code /health/live}, {@code /health/ready}, {@code /pipelines},
 * and the {@code POST} endpoints that change state).
 *
 * @param enabled    false when {@code http: { enabled: false }}
 * @param host       address to bind, default 127.0.0.1
 * @param port       port, default 8083; 0 picks a free port
 * @param adminToken the bearer token every {@code POST} must carry; without one, {@code POST} is taken
 *                   only from a loopback address
 */
public record HttpConfig(boolean enabled, String host, int port, Optional<Secret> adminToken) {
    public static final HttpConfig DEFAULT = new HttpConfig(true, "127.0.0.1", 8083);

    public HttpConfig(boolean enabled, String host, int port) {
        this(enabled, host, port, Optional.empty());
    }
}
