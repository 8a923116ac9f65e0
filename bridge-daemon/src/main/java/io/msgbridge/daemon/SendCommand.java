package io.msgbridge.daemon;

import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bridge send FILE CONNECTION:TOPIC}: publishes the lines of stdin (or {@code --count} generated
 * records) through the sink a pipeline with {@code to: {connection: CONNECTION, subject|topic: TOPIC}}
 * would have, so every backend's publishing, confirmation and key handling is the one the daemon uses.
 * Records are pipelined as the sink allows and each must be confirmed; the first failure stops the
 * command (nothing is retried: run it again for what was not sent).
 */
@Command(name = "send", description = {
        "Publish the lines of stdin, or --count generated records, to TOPIC on CONNECTION of FILE, one record per line,",
        "through the same sink a pipeline's to: section would have. Prints how many were confirmed."})
final class SendCommand implements Callable<Integer> {
    /** How long the broker may take to confirm one record before the command gives up. */
    private static final long CONFIRM_SECONDS = 30;
    /** The most records at the sink unconfirmed at once, whatever the sink allows. */
    private static final int MAX_WINDOW = 1000;

    @Parameters(index = "0", paramLabel = "FILE", description = "the pipelines file (YAML) that defines CONNECTION")
    Path file;

    @Parameters(index = "1", paramLabel = "CONNECTION:TOPIC",
            description = "a connection of FILE and the subject (NATS) or topic to publish to, e.g. local:demo.orders")
    String target;

    @Option(names = "--key", paramLabel = "K", description = "the key of every record (Kafka/Pulsar key, NATS key header, RocketMQ keys)")
    String key;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "a header (property) of every record; repeatable")
    List<String> headers = new ArrayList<>();

    @Option(names = "--count", paramLabel = "N",
            description = "send N generated records ({\"seq\":1,\"of\":N,\"sent_at\":\"...\"}) instead of reading stdin")
    Integer count;

    @Option(names = "--option", paramLabel = "KEY=VALUE",
            description = "a further key of the sink section, as in a pipeline's to: (e.g. mode=core to publish to a core NATS subject); repeatable")
    List<String> options = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Map<String, String>> sinkOptions = pairs("--option", options, err);
        Optional<Map<String, String>> headerPairs = pairs("--header", headers, err);
        Optional<ConnectionTopic> topic = ConnectionTopic.parse("CONNECTION:TOPIC", target, err);
        if (sinkOptions.isEmpty() || headerPairs.isEmpty() || topic.isEmpty()) {
            return ExitCodes.INVALID;
        }
        if (count != null && count < 1) {
            err.println("--count: invalid value " + count + ": must be at least 1");
            return ExitCodes.INVALID;
        }
        Optional<Connector.SinkSpec> sinkSpec = topic.get().sink(file, Optional.empty(), sinkOptions.get(), err);
        if (sinkSpec.isEmpty()) {
            return ExitCodes.INVALID;
        }
        Headers recordHeaders = Headers.of(headerPairs.get().entrySet().stream()
                .map(e -> new Headers.Header(e.getKey(), e.getValue())).toList());
        try (Sink sink = sinkSpec.get().create()) {
            Publishing publishing = new Publishing(topic.get(), sink, recordHeaders);
            try {
                sink.start(new SinkContext("send", SinkContext.Role.SINK));
                if (count != null) {
                    for (int seq = 1; seq <= count; seq++) {
                        publishing.send(("{\"seq\":" + seq + ",\"of\":" + count + ",\"sent_at\":\"" + Instant.now() + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                } else {
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        publishing.send(line.getBytes(StandardCharsets.UTF_8));
                    }
                }
                publishing.awaitAll();
            } catch (BridgeException | IOException e) {
                // the sink's messages start with the pipeline name, "send"
                err.println(e.getMessage() + (publishing.sent == 0 ? "" : "; record " + (publishing.confirmed + 1) + " failed, "
                        + publishing.confirmed + " of " + publishing.sent + " records sent were confirmed"));
                return ExitCodes.RUNTIME;
            }
            spec.commandLine().getOut().println("sent " + publishing.confirmed + (publishing.confirmed == 1 ? " record" : " records")
                    + " to " + topic.get() + " (" + sinkSpec.get().describe() + ")");
            return ExitCodes.OK;
        }
    }

    /** The records in flight, oldest first, as many as the sink's ordering allows for one key. */
    private final class Publishing {
        private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        private final ConnectionTopic topic;
        private final Sink sink;
        private final Headers headers;
        private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        private int window;
        private long sent;
        private long confirmed;

        Publishing(ConnectionTopic topic, Sink sink, Headers headers) {
            this.topic = topic;
            this.sink = sink;
            this.headers = headers;
        }

        /**
         * Publishes one record; each has an id of its own ({@code send-RUN-N}), so a deduplicating
         * sink (JetStream) does not drop a second run's records as replays of the first.
         */
        void send(byte[] payload) throws InterruptedException {
            if (window == 0) {
                window = Math.min(MAX_WINDOW, sink.ordering().window());
            }
            while (inFlight.size() >= window) {
                awaitOldest();
            }
            sent++;
            Message message = new Message(topic.topic(), key, payload, headers, null);
            inFlight.add(sink.publish(new OutboundRecord(message, key, "send-" + run + "-" + sent,
                    new Position("send", Long.toString(sent), sent))));
        }

        void awaitAll() throws InterruptedException {
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
        }

        private void awaitOldest() throws InterruptedException {
            try {
                inFlight.peek().get(CONFIRM_SECONDS, TimeUnit.SECONDS);
                inFlight.remove();
                confirmed++;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof BridgeException b ? b : new PermanentException(String.valueOf(e.getCause()), e.getCause());
            } catch (TimeoutException e) {
                throw new RetriableException("not confirmed by " + topic + " within " + CONFIRM_SECONDS + " s", e);
            }
        }
    }

    /** {@code NAME=VALUE} options in order, or empty after printing which one is not. */
    static Optional<Map<String, String>> pairs(String option, List<String> values, PrintWriter err) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                err.println(option + ": invalid value \"" + value + "\": must be NAME=VALUE");
                return Optional.empty();
            }
            pairs.put(value.substring(0, eq), value.substring(eq + 1));
        }
        return Optional.of(pairs);
    }
}
