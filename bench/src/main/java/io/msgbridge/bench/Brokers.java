package io.msgbridge.bench;

import io.msgbridge.nsq.NsqBrokers;

import java.util.HashMap;
import java.util.Map;

/**
 * The orchestrator's brokers and clients, one per broker kind, opened on first use, so a suite starts
 * only what its scenarios need: the machine's nats-server; a Pulsar standalone broker; a Kafka KRaft
 * broker; a RocketMQ NameServer and broker; for NSQ, the test double in this process and, when
 * {@code NSQD} names its binary, a real nsqd (both started and stopped by {@link NsqBrokers}). A broker
 * started runs until the bench exits.
 */
final class Brokers implements AutoCloseable {
    private NatsEndpoints nats;
    private PulsarEndpoints pulsar;
    private KafkaEndpoints kafka;
    private RocketMqEndpoints rocketMq;
    private NsqEndpoints nsqTestDouble;
    private NsqEndpoints nsqd;

    synchronized NatsEndpoints nats() throws Exception {
        if (nats == null) {
            nats = new NatsEndpoints();
            nats.deleteLeftovers();
        }
        return nats;
    }

    synchronized PulsarEndpoints pulsar() throws Exception {
        if (pulsar == null) {
            pulsar = new PulsarEndpoints();
        }
        return pulsar;
    }

    synchronized KafkaEndpoints kafka() {
        if (kafka == null) {
            kafka = new KafkaEndpoints();
        }
        return kafka;
    }

    synchronized RocketMqEndpoints rocketMq() throws Exception {
        if (rocketMq == null) {
            rocketMq = new RocketMqEndpoints();
        }
        return rocketMq;
    }

    synchronized NsqEndpoints nsqTestDouble() {
        if (nsqTestDouble == null) {
            nsqTestDouble = new NsqEndpoints(NsqBrokers.testDouble(), "nsq");
        }
        return nsqTestDouble;
    }

    synchronized NsqEndpoints nsqd() {
        if (!NsqBrokers.realNsqdConfigured()) {
            throw new IllegalStateException("a real nsqd is needed: set " + NsqBrokers.NSQD + " to the nsqd binary");
        }
        if (nsqd == null) {
            nsqd = new NsqEndpoints(NsqBrokers.realNsqd(), "nsqd");
        }
        return nsqd;
    }

    /** The YAML {@code connections:} entries of the brokers opened so far (the unused ones are harmless). */
    synchronized String yamlConnections() {
        StringBuilder entries = new StringBuilder();
        if (nats != null) {
            entries.append(nats.yamlConnection());
        }
        if (pulsar != null) {
            entries.append(pulsar.yamlConnection());
        }
        if (kafka != null) {
            entries.append(kafka.yamlConnection());
        }
        if (rocketMq != null) {
            entries.append(rocketMq.yamlConnection());
        }
        if (nsqTestDouble != null) {
            entries.append(nsqTestDouble.yamlConnection());
        }
        if (nsqd != null) {
            entries.append(nsqd.yamlConnection());
        }
        return entries.toString();
    }

    /** What the variant processes need in their environment (the Pulsar broker's address and token, RocketMQ's credentials). */
    synchronized Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        if (pulsar != null) {
            environment.putAll(pulsar.environment());
        }
        if (rocketMq != null) {
            environment.putAll(rocketMq.environment());
        }
        return environment;
    }

    @Override
    public synchronized void close() throws Exception {
        if (nats != null) {
            nats.close();
        }
        if (pulsar != null) {
            pulsar.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (rocketMq != null) {
            rocketMq.close();
        }
    }
}
