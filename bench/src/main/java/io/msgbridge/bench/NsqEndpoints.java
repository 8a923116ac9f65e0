package io.msgbridge.bench;

import io.msgbridge.nsq.NsqBroker;
import io.msgbridge.nsq.NsqHttp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The NSQ side of the benchmark: topic endpoints on one nsqd, the {@code NsqTestDouble} or a real nsqd
 * (see {@link Brokers}). A run's topic is {@code bench.<run>} with the channel {@value #CHANNEL},
 * created before the preload so that nsqd keeps the records for the variant; the orchestrator
 * publishes through nsqd's HTTP {@code /mpub}. NSQ messages have no key, so pipelines take it from the
 * payload ({@link Payloads#JSON_KEY}).
 */
final class NsqEndpoints {
    private static final String CHANNEL = "bench";
    private static final int MPUB_RECORDS = 1000;

    private final NsqBroker broker;
    private final String connection;
    private final NsqHttp http;

    /** Endpoints on {@code broker}, which the bridge variant knows as the connection {@code connection}. */
    NsqEndpoints(NsqBroker broker, String connection) {
        this.broker = broker;
        this.connection = connection;
        this.http = new NsqHttp(broker);
    }

    /** The YAML {@code connections:} entry the bridge variant uses. */
    String yamlConnection() {
        return "  " + connection + ": { type: nsq, nsqd: [ \"" + broker.tcpAddress() + "\" ] }\n";
    }

    /** A topic's channel as the source, preloaded with {@code payloads} in {@code /mpub} requests of {@value #MPUB_RECORDS} records. */
    SourceEndpoint source(String run, Keys keys, Payloads payloads) {
        String topic = "bench." + run;
        return new SourceEndpoint() {
            private final List<byte[]> unsent = new ArrayList<>(MPUB_RECORDS);

            @Override
            public void create() throws IOException, InterruptedException {
                http.createChannel(topic, CHANNEL);
            }

            @Override
            public boolean holdsRecords() {
                return true;
            }

            @Override
            public void publish(long sequence) throws IOException, InterruptedException {
                unsent.add(payloads.stamped(sequence, keys));
                if (unsent.size() == MPUB_RECORDS) {
                    flush();
                }
            }

            @Override
            public void flush() throws IOException, InterruptedException {
                if (!unsent.isEmpty()) {
                    http.mpub(topic, unsent);
                    unsent.clear();
                }
            }

            @Override
            public String yamlFrom() {
                return "{ connection: " + connection + ", topic: \"" + topic + "\", channel: " + CHANNEL + " }";
            }

            @Override
            public String yamlKey() {
                return Payloads.JSON_KEY;
            }

            @Override
            public String baselineSpec() {
                return "nsq:" + broker.tcpAddress() + "/" + topic + "/" + CHANNEL;
            }

            /** Deletes the topic on nsqd ({@code /topic/delete}); the test double has no such call and keeps it, drained. */
            @Override
            public void close() {
                try {
                    http.postRaw("/topic/delete?topic=" + topic, new byte[0]);
                } catch (IOException e) {
                    System.err.println("bench: could not delete NSQ topic " + topic + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
