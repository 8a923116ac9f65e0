package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.PipelineConfig;
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
import java.nio.file.Path;
import java.time.Duration;
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
            Optional<PipelineConfig> found = config.get().pipelines().stream().filter(p -> p.name().equals(pipeline)).findFirst();
            if (found.isEmpty()) {
                err().println("--pipeline: unknown pipeline \"" + pipeline + "\"; the file defines: "
                        + String.join(", ", config.get().pipelines().stream().map(PipelineConfig::name).toList()));
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
        private static final String FORMAT = "%-28s %-24s %-16s %-9s %8s %7s %-28s %s%n";

        @Override
        public Integer call() throws InterruptedException {
            Optional<Selected> selected = select();
            if (selected.isEmpty()) {
                return ExitCodes.INVALID;
            }
            PrintWriter out = out();
            out.printf(FORMAT, "AT", "LAST FAILED AT", "KEY", "STAGE", "ATTEMPTS", "REPLAYS", "SOURCE POSITION", "ERROR");
            try {
                long count = DeadLetterListing.list(selected.get().pipeline(), selected.get().filter(), e -> out.printf(FORMAT,
                        e.at(), e.deadLetter().lastFailedAt(), e.message().key() == null ? "-" : e.message().key(),
                        e.deadLetter().stage(), e.deadLetter().attempts(), e.deadLetter().replays(),
                        e.deadLetter().partition() + "@" + e.deadLetter().position(),
                        e.deadLetter().errorClass() + ": " + e.deadLetter().errorMessage()));
                out.println(count + (count == 1 ? " dead letter" : " dead letters") + " of pipeline " + pipeline
                        + " (" + selected.get().filter().describe() + ")");
                return ExitCodes.OK;
            } catch (BridgeException e) {
                err().println("dlq list: " + e.getMessage());
                return ExitCodes.RUNTIME;
            }
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
                target = ReplayTarget.resolve(file, selected.get().pipeline(), to, err());
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
