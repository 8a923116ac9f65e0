package io.msgbridge.config;

/**
 * The HTTP endpoint ({@code /metrics}, {@code /health/live}, {@code /health/ready}, {@code /pipelines}).
 *
 * @param enabled false when {@code http: { enabled: false }}
 * @param host    address to bind, default 127.0.0.1
 * @param port    port, default 8083; 0 picks a free port
 */
public record HttpConfig(boolean enabled, String host, int port) {
    public static final HttpConfig DEFAULT = new HttpConfig(true, "127.0.0.1", 8083);
}
