package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.offsets.OffsetStores;
import io.msgbridge.offsets.StoredOffset;
import io.msgbridge.spi.Position;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code bridge offsets show|set}: read and move where pipelines stand in the offset store. */
@Command(name = "offsets", description = "Show or set stored positions.",
        subcommands = {OffsetsCommand.Show.class, OffsetsCommand.Set.class})
final class OffsetsCommand {

    /** Runs {@code action} against FILE's offset store, opened for an operator (never claims a pipeline). */
    private static int withStore(Path file, CommandSpec spec, StoreAction action) {
        PrintWriter err = spec.commandLine().getErr();
        Optional<BridgeConfig> config = ConfigFile.load(file, err);
        if (config.isEmpty()) {
            return ExitCodes.INVALID;
        }
        try (OffsetStore store = OffsetStores.forOperator(config.get().offsets())) {
            store.open();
            return action.run(config.get(), store, spec.commandLine().getOut(), err);
        } catch (OffsetStoreException e) {
            err.println("offsets: " + e.getMessage());
            return ExitCodes.RUNTIME;
        }
    }

    @FunctionalInterface
    private interface StoreAction {
        int run(BridgeConfig config, OffsetStore store, PrintWriter out, PrintWriter err) throws OffsetStoreException;
    }

    @Command(name = "show", description = "Print each pipeline partition's stored position, when it was committed and how many records were committed, and the keys each pipeline has parked.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--pipeline", paramLabel = "NAME", description = "only this pipeline")
        String pipeline;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return withStore(file, spec, (config, store, out, err) -> {
                if (pipeline != null && ConfigFile.pipeline(config, pipeline, err).isEmpty()) {
                    return ExitCodes.INVALID;
                }
                List<StoredOffset> offsets = store.list(Optional.ofNullable(pipeline));
                String format = "%-24s %-32s %-24s %-26s %12s%n";
                out.printf(format, "PIPELINE", "PARTITION", "POSITION", "COMMITTED AT", "RECORDS");
                for (StoredOffset o : offsets) {
                    out.printf(format, o.pipeline(), o.partition(), o.position().offset(), o.committedAt(), o.records());
                }
                if (offsets.isEmpty()) {
                    out.println("(nothing committed yet)");
                }
                List<String> names = pipeline != null ? List.of(pipeline) : config.pipelines().stream().map(p -> p.name()).toList();
                for (String name : names) {
                    SortedSet<String> parked = store.parkedKeys(name);
                    if (!parked.isEmpty()) {
                        out.println(name + ": parked keys " + String.join(", ", parked)
                                + " (their records wait for 'bridge keys release' or 'bridge keys skip')");
                    }
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "set", description = "Move a pipeline partition's stored position. The pipeline must not be running.")
    static final class Set implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--pipeline", required = true, paramLabel = "NAME")
        String pipeline;

        @Option(names = "--partition", required = true, paramLabel = "PARTITION",
                description = "as printed by 'offsets show' (a JetStream stream name, a Pulsar topic partition)")
        String partition;

        @Option(names = "--position", required = true, paramLabel = "POSITION",
                description = "the source's position token; for JetStream a stream sequence: the pipeline resumes after it")
        String position;

        @Option(names = "--force", description = "set a partition the store has no position for yet")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return withStore(file, spec, (config, store, out, err) -> {
                Optional<PipelineConfig> found = ConfigFile.pipeline(config, pipeline, err);
                if (found.isEmpty()) {
                    return ExitCodes.INVALID;
                }
                PipelineConfig target = found.get();
                java.util.Set<String> known = store.load(pipeline).keySet();
                if (!force && !known.contains(partition)) {
                    err.println("--partition: " + pipeline + " has no stored position for partition \"" + partition + "\""
                            + (known.isEmpty() ? " (nothing is stored for it yet)" : "; stored: " + String.join(", ", new TreeSet<>(known)))
                            + ". Check the name with 'bridge offsets show', or add --force to set a new partition.");
                    return ExitCodes.INVALID;
                }
                Position at;
                try {
                    at = target.source().position(partition, position);
                } catch (IllegalArgumentException e) {
                    err.println("--position: " + e.getMessage() + " (source " + target.source().describe() + ")");
                    return ExitCodes.INVALID;
                }
                store.set(pipeline, at);
                out.println(pipeline + " " + partition + ": position set to " + position);
                return ExitCodes.OK;
            });
        }
    }
}
