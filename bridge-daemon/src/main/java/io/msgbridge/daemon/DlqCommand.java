package io.msgbridge.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msgbridge.backend.Plural;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.deadletter.DeadLetter;
import io.msgbridge.deadletter.DeadLetterFilter;
import io.msgbridge.deadletter.DeadLetterListing;
import io.msgbridge.deadletter.DeadLetterReplay;
import io.msgbridge.offsets.OffsetStores;
import io.msgbridge.spi.BridgeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code bridge dlq list|replay}: shows a pipeline's dead letters (from its PostgreSQL table, or by
 * reading its JetStream dead-letter stream without consuming it) and publishes them back to the sink.
 */
@Command(name = "dlq", description = "List or replay a pipeline's dead letters.",
        subcommands = {DlqCommand.List.class, DlqCommand.Replay.class})
final class DlqCommand {

    /** The options both subcommands share. */
    abstract static class Selection {
        @Parameters(paramLabel = "FILE", description = "the pipelines file (YAML)")
        Path file;

        @Option(names = "--pipeline", required = true, paramLabel = "NAME")
        String pipeline;

        @Option(names = "--since", paramLabel = "T",
                description = "only dead letters that last failed at or after T: an instant (2026-11-23T10:00:00Z) or an age (30m, 2h, 1d)")
        String since;

        @Option(names = "--key", paramLabel = "K", description = "only dead letters of this key")
        String key;

        @Option(names = "--error", paramLabel = "TEXT", description = "only dead letters whose error class or message contains TEXT (any case)")
        String error;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** The config and the pipeline, or empty after printing why not. */
        Optional<Selected> select() {
            Optional<BridgeConfig> config = ConfigFile.load(file, err());
            if (config.isEmpty()) {
                return Optional.empty();
            }
            Optional<PipelineConfig> found = ConfigFile.pipeline(config.get(), pipeline, err());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Optional<DeadLetterFilter> filter = SinceOption.parse(since, err())
                    .map(s -> new DeadLetterFilter(pipeline, s, Optional.ofNullable(key), Optional.ofNullable(error)));
            return filter.map(f -> new Selected(config.get(), found.get(), f));
        }
    }

    record Selected(BridgeConfig config, PipelineConfig pipeline, DeadLetterFilter filter) {
    }

    @Command(name = "list", description = "Print a pipeline's dead letters, oldest first, without consuming them.")
    static final class List extends Selection implements Callable<Integer> {
        private static final java.util.List<String> HEADER =
                java.util.List.of("AT", "LAST FAILED AT", "KEY", "STAGE", "ATTEMPTS", "REPLAYS", "SOURCE POSITION", "ERROR");
        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(names = "--payload", description = "print each payload too: as text when it is UTF-8 text, else base64")
        boolean payload;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "text (default: a table) or json (one JSON object per dead letter and line; the count goes to stderr)")
        String format;

        @Override
        public Integer call() throws InterruptedException {
            if (!format.equals("text") && !format.equals("json")) {
                err().println("--format: invalid value \"" + format + "\": must be text or json");
                return ExitCodes.INVALID;
            }
            Optional<Selected> selected = select();
            if (selected.isEmpty()) {
                return ExitCodes.INVALID;
            }
            boolean json = format.equals("json");
            PrintWriter out = out();
            java.util.List<java.util.List<String>> rows = new ArrayList<>();
            rows.add(HEADER);
            try {
                long count = DeadLetterListing.list(selected.get().pipeline(), selected.get().filter(), e -> {
                    if (json) {
                        out.println(json(e));
                    } else {
                        rows.add(row(e));
                    }
                });
                if (!json) {
                    Table.print(rows, out);
                }
                (json ? err() : out).println(Plural.of(count, "dead letter") + " of pipeline " + pipeline
                        + " (" + selected.get().filter().describe() + ")");
                return ExitCodes.OK;
            } catch (BridgeException e) {
                err().println("dlq list: " + e.getMessage());
                return ExitCodes.RUNTIME;
            }
        }

        /** One row of the table; with {@code --payload}, the payload as a last cell, printed on a line of its own. */
        private java.util.List<String> row(DeadLetterListing.Entry e) {
            DeadLetter d = e.deadLetter();
            java.util.List<String> row = new ArrayList<>(java.util.List.of(e.at().toString(), instant(d.lastFailedAt()),
                    e.message().key() == null ? "-" : e.message().key(), d.stage(), Integer.toString(d.attempts()),
                    Integer.toString(d.replays()), d.partition() + "@" + d.position(), d.errorClass() + ": " + d.errorMessage()));
            if (payload) {
                Payload shown = Payload.of(e.message().payload());
                row.add("  payload (" + shown.encoding() + "): " + (shown.encoding().equals("text")
                        ? shown.text().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") : shown.text()));
            }
            return row;
        }

        private String json(DeadLetterListing.Entry e) {
            DeadLetter d = e.deadLetter();
            ObjectNode node = JSON.createObjectNode();
            node.put("at", e.at().toString());
            node.put("key", e.message().key());
            node.put("lastFailedAt", d.lastFailedAt() == null ? null : d.lastFailedAt().toString());
            node.put("firstFailedAt", d.firstFailedAt() == null ? null : d.firstFailedAt().toString());
            node.put("stage", d.stage());
            node.put("attempts", d.attempts());
            node.put("replays", d.replays());
            node.put("source", d.source());
            node.put("topic", d.topic());
            node.put("partition", d.partition());
            node.put("position", d.position());
            node.put("errorClass", d.errorClass());
            node.put("errorMessage", d.errorMessage());
            if (payload) {
                Payload shown = Payload.of(e.message().payload());
                node.put("payloadEncoding", shown.encoding());
                node.put("payload", shown.text());
            }
            return node.toString();
        }

        private static String instant(Instant at) {
            return at == null ? "-" : at.truncatedTo(ChronoUnit.MILLIS).toString();
        }
    }

    /** A payload for people: its text when it is UTF-8 text (tabs and line breaks allowed), else base64. */
    record Payload(String encoding, String text) {
        static Payload of(byte[] bytes) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
                boolean printable = text.codePoints().allMatch(c -> c == '\t' || c == '\n' || c == '\r' || !Character.isISOControl(c));
                if (printable) {
                    return new Payload("text", text);
                }
            } catch (CharacterCodingException e) {
                // not UTF-8: base64 below
            }
            return new Payload("base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    @Command(name = "replay", description = "Publish a pipeline's dead letters back to its sink, in per-key order; resumable.")
    static final class Replay extends Selection implements Callable<Integer> {
        @Option(names = "--max-replays", paramLabel = "N", defaultValue = "3",
                description = "leave dead letters already replayed N times where they are (default ${DEFAULT-VALUE})")
        int maxReplays;

        @Option(names = "--to", paramLabel = "CONNECTION:TOPIC",
                description = "publish to this connection and topic/subject instead of the pipeline's sink")
        String to;

        @Override
        public Integer call() throws InterruptedException {
            Optional<Selected> selected = select();
            if (selected.isEmpty()) {
                return ExitCodes.INVALID;
            }
            if (maxReplays < 1) {
                err().println("--max-replays: invalid value " + maxReplays + ": must be at least 1");
                return ExitCodes.INVALID;
            }
            Optional<io.msgbridge.spi.Connector.SinkSpec> target = Optional.empty();
            if (to != null) {
                target = ConnectionTopic.parse("--to", to, err()).flatMap(t -> t.sink(file,
                        Optional.of(selected.get().pipeline().name()), java.util.Map.of(), err()));
                if (target.isEmpty()) {
                    return ExitCodes.INVALID;
                }
            }
            PrintWriter out = out();
            DeadLetterReplay.Options options = new DeadLetterReplay.Options(selected.get().filter(), maxReplays, target,
                    Duration.ofSeconds(5));
            try {
                DeadLetterReplay.Report report = DeadLetterReplay.run(selected.get().pipeline(), options,
                        OffsetStores.create(selected.get().config().offsets()), line -> {
                            out.println(line);
                            out.flush();
                        });
                out.println(report.name() + ": replayed " + report.replayed() + ", failed again (back in the dead-letter route) "
                        + report.failedAgain() + ", left because of --max-replays " + report.skipped()
                        + (report.complete() ? "; complete" : "; NOT complete: " + report.error()));
                return report.complete() ? ExitCodes.OK : ExitCodes.RUNTIME;
            } catch (BridgeException e) {
                err().println("dlq replay: " + e.getMessage());
                return ExitCodes.RUNTIME;
            }
        }
    }
}
