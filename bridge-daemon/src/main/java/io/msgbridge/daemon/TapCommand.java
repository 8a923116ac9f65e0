package io.msgbridge.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msgbridge.backend.MessageLines;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code bridge tap FILE CONNECTION:TOPIC}: prints what arrives at a topic or subject, with key, headers
 * and position, without consuming it ({@link Connector.SinkSpec#tap}): no consumer group, durable,
 * subscription or commit is left behind, and no other consumer misses a message. Runs until
 * {@code --count} messages were printed, or Ctrl-C.
 */
@Command(name = "tap", description = {
        "Print the messages that arrive at TOPIC on CONNECTION of FILE, with key, headers and position, without consuming them:",
        "no consumer group, durable consumer, subscription or commit is left behind. Runs until --count messages or Ctrl-C."})
final class TapCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);

    @Parameters(index = "0", paramLabel = "FILE", description = "the pipelines file (YAML) that defines CONNECTION")
    Path file;

    @Parameters(index = "1", paramLabel = "CONNECTION:TOPIC",
            description = "a connection of FILE and the subject (NATS, wildcards allowed) or topic to read, e.g. local:archive.>")
    String target;

    @Option(names = "--from-start", description = "begin with the oldest message the topic or stream still holds (default: only new ones)")
    boolean fromStart;

    @Option(names = "--count", paramLabel = "N", description = "stop after N messages")
    Long count;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default): one line per message, POSITION TOPIC key=KEY [HEADERS] PAYLOAD; "
                    + "json: one JSON object per line")
    String format;

    @Option(names = "--option", paramLabel = "KEY=VALUE",
            description = "a further key of the section, as in a pipeline's to: (e.g. mode=core to read a NATS subject that a stream captures with a plain subscription); repeatable")
    List<String> options = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("text") && !format.equals("json")) {
            err.println("--format: invalid value \"" + format + "\": must be text or json");
            return ExitCodes.INVALID;
        }
        if (count != null && count < 1) {
            err.println("--count: invalid value " + count + ": must be at least 1");
            return ExitCodes.INVALID;
        }
        Optional<Map<String, String>> sinkOptions = SendCommand.pairs("--option", options, err);
        Optional<ConnectionTopic> topic = ConnectionTopic.parse("CONNECTION:TOPIC", target, err);
        if (sinkOptions.isEmpty() || topic.isEmpty()) {
            return ExitCodes.INVALID;
        }
        Optional<Connector.SinkSpec> sinkSpec = topic.get().sink(file, Optional.empty(), sinkOptions.get(), err);
        if (sinkSpec.isEmpty()) {
            return ExitCodes.INVALID;
        }
        Optional<Source> tap;
        try {
            tap = sinkSpec.get().tap(fromStart ? Connector.TapFrom.START : Connector.TapFrom.NOW);
        } catch (IllegalArgumentException e) {
            err.println("CONNECTION:TOPIC: " + topic.get() + " cannot be tapped: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (tap.isEmpty()) {
            err.println("CONNECTION:TOPIC: " + topic.get() + " (" + sinkSpec.get().describe()
                    + ") cannot be tapped: this backend cannot read it without consuming it");
            return ExitCodes.INVALID;
        }
        try (Source source = tap.get()) {
            Thread closer = new Thread(source::close, "tap-close");
            Runtime.getRuntime().addShutdownHook(closer);
            try {
                return print(source, topic.get(), sinkSpec.get().describe(), err);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(closer);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down (Ctrl-C): the hook closes the source
                }
            }
        }
    }

    private int print(Source source, ConnectionTopic topic, String describe, PrintWriter err) throws InterruptedException {
        try {
            source.start(new SourceContext("tap", SourceContext.Resume.BROKER, Map.of(), 1000));
        } catch (BridgeException e) {
            // the source's messages start with the pipeline name, "tap"
            err.println(e.getMessage());
            return ExitCodes.RUNTIME;
        }
        err.println("tapping " + topic + " (" + describe + ") " + (fromStart ? "from the start" : "from now")
                + (count == null ? "; Ctrl-C to stop" : "; stopping after " + count + (count == 1 ? " message" : " messages")));
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        long printed = 0;
        String lastProblem = null;
        while (count == null || printed < count) {
            try {
                int max = count == null ? 500 : (int) Math.min(500, count - printed);
                for (SourceRecord record : source.poll(max, POLL)) {
                    out.println(format.equals("json") ? json(record) : text(record));
                    record.ack().done();
                    printed++;
                }
                out.flush();
                lastProblem = null;
            } catch (RetriableException e) {
                if (!e.getMessage().equals(lastProblem)) {
                    err.println(e.getMessage() + "; trying again every " + RETRY.toSeconds() + " s");
                    err.flush();
                    lastProblem = e.getMessage();
                }
                Thread.sleep(RETRY.toMillis());
            } catch (BridgeException e) {
                err.println(e.getMessage());
                return ExitCodes.RUNTIME;
            }
        }
        return ExitCodes.OK;
    }

    /** {@code POSITION TOPIC} and the message as {@link MessageLines#text}, on one line. */
    private static String text(SourceRecord record) {
        StringBuilder line = new StringBuilder().append(record.position()).append(' ').append(record.message().topic())
                .append(' ').append(MessageLines.text(record.message().key(), record.message()));
        if (record.unreadable() != null) {
            line.append("  (unreadable: ").append(record.unreadable().getMessage()).append(')');
        }
        return line.toString();
    }

    /** One JSON object: {@code partition}, {@code offset}, the message as {@link MessageLines#put}, and {@code unreadable}. */
    private static String json(SourceRecord record) {
        ObjectNode node = MessageLines.object();
        node.put("partition", record.position().partition());
        node.put("offset", record.position().offset());
        MessageLines.put(node, record.message().key(), record.message());
        if (record.unreadable() != null) {
            node.put("unreadable", record.unreadable().getMessage());
        }
        return MessageLines.write(node);
    }
}
