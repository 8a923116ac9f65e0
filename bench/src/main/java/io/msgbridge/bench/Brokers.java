package io.msgbridge.bench;

/**
 * The orchestrator's clients, one per broker kind, opened on first use. Pulsar and NSQ add theirs
 * here, with their YAML {@code connections:} entry.
 */
final class Brokers implements AutoCloseable {
    private NatsEndpoints nats;

    synchronized NatsEndpoints nats() throws Exception {
        if (nats == null) {
            nats = new NatsEndpoints();
            nats.deleteLeftovers();
        }
        return nats;
    }

    /** The YAML {@code connections:} entries of every broker kind (unused ones are harmless). */
    String yamlConnections() {
        return NatsEndpoints.yamlConnection();
    }

    @Override
    public synchronized void close() throws Exception {
        if (nats != null) {
            nats.close();
        }
    }
}
