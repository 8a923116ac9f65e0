package io.msgbridge.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.offsets.OffsetStores;
import io.msgbridge.offsets.StoredOffset;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.Position;
import io.msgbridge.verify.KeyComparison;
import io.msgbridge.verify.Verification;
import io.msgbridge.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code bridge verify}: before a cut-over, compares what a pipeline's source holds up to its committed
 * positions with what its sink holds, per key ({@link Verification}); where a side cannot be read back,
 * says so and gives the bridge's own counts (the offset store, and the running daemon's {@code /pipelines}).
 * Exit 0 when drained, 1 when not (or not known), 2 for a bad file or option.
 */
@Command(name = "verify", description = "Compare a pipeline's source, up to its committed positions, with its sink: "
        + "counts and an order-sensitive checksum per key, records after the commit, dead letters, and a verdict. "
        + "Exit 0 when drained.")
final class VerifyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "FILE", description = "the pipelines file (YAML)")
    Path file;

    @Option(names = "--pipeline", required = true, paramLabel = "NAME")
    String pipeline;

    @Option(names = "--since", paramLabel = "T",
            description = "only records whose event time is at or after T, on both sides: an instant (2026-11-23T10:00:00Z) or an age (30m, 2h, 1d)")
    String since;

    @Option(names = "--every-key", description = "print every key's counts and checksums, not only the keys that differ")
    boolean everyKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<BridgeConfig> config = ConfigFile.load(file, err);
        Optional<PipelineConfig> selected = config.flatMap(c -> ConfigFile.pipeline(c, pipeline, err));
        Optional<Optional<Instant>> from = SinceOption.parse(since, err);
        if (selected.isEmpty() || from.isEmpty()) {
            return ExitCodes.INVALID;
        }
        Map<String, StoredOffset> stored;
        try (OffsetStore store = OffsetStores.forOperator(config.get().offsets())) {
            store.open();
            stored = store.load(pipeline);
        } catch (OffsetStoreException e) {
            err.println("verify: " + e.getMessage());
            return ExitCodes.RUNTIME;
        }
        PipelineConfig target = selected.get();
        out.println("pipeline " + pipeline + ": " + target.source().describe() + " -> " + target.sink().describe());
        out.println("committed: " + (stored.isEmpty() ? "nothing yet" : String.join(", ", stored.values().stream()
                .map(o -> o.position().partition() + "@" + o.position().offset() + " (" + o.records() + " records, at " + o.committedAt() + ")")
                .toList())) + " (offset store)");
        Optional<JsonNode> daemon = daemonStatus(config.get(), out);
        Optional<String> unreadable = Verification.unreadable(target);
        if (unreadable.isPresent()) {
            return byOwnCounts(unreadable.get(), daemon, out);
        }
        Map<String, Position> committed = new TreeMap<>();
        stored.forEach((partition, offset) -> committed.put(partition, offset.position()));
        try {
            VerifyReport report = Verification.run(target, committed, from.get());
            print(report, out);
            return report.drained() ? ExitCodes.OK : ExitCodes.RUNTIME;
        } catch (BridgeException e) {
            err.println("verify: " + e.getMessage());
            return ExitCodes.RUNTIME;
        }
    }

    private void print(VerifyReport report, PrintWriter out) {
        out.println("source (" + report.source() + "): " + report.sourceCount() + " records up to the committed positions, in "
                + report.keys().stream().filter(k -> k.source() > 0).count() + " keys; " + report.afterCommitCount()
                + " after them" + (report.afterCommit().isEmpty() ? "" : " " + report.afterCommit()));
        out.println("sink (" + report.sink() + "): " + report.sinkCount() + " records; " + report.duplicates()
                + " earlier copies of source records (replayed duplicates; the last copies were compared), "
                + sum(report, KeyComparison.Result::afterCommit) + " of records after the commit, "
                + sum(report, KeyComparison.Result::replayedDeadLetters) + " replayed dead letters, " + report.extra()
                + " not from the source");
        out.println("dead letters: " + report.deadLetters().map(n -> n + " (not expected at the sink)")
                .orElse("the dead-letter route cannot be read back: not counted, a dead-lettered record shows as missing"));
        List<KeyComparison.Result> shown = everyKey ? report.keys() : report.differing();
        if (!shown.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("KEY", "SOURCE", "SINK", "DUPLICATES", "SOURCE CHECKSUM", "SINK CHECKSUM", "DIFFERENCE"));
            for (KeyComparison.Result k : shown) {
                rows.add(List.of(k.key(), Long.toString(k.source()), Long.toString(k.sink()), Long.toString(k.duplicates()),
                        k.sourceChecksum(), k.sinkChecksum(), k.difference().isEmpty() ? "-" : k.difference()));
            }
            Table.print(rows, out);
        }
        out.println("verdict: " + report.verdict());
    }

    private static long sum(VerifyReport report, java.util.function.ToIntFunction<KeyComparison.Result> count) {
        return report.keys().stream().mapToLong(count::applyAsInt).sum();
    }

    /** The pipeline's entry in the running daemon's {@code /pipelines}, printed; empty when no daemon answers. */
    private Optional<JsonNode> daemonStatus(BridgeConfig config, PrintWriter out) throws InterruptedException {
        if (!config.http().enabled() || config.http().port() == 0) {
            out.println("daemon: not asked (the file has no fixed HTTP port)");
            return Optional.empty();
        }
        URI uri = DaemonEndpoint.uri(config.http(), "/pipelines");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode p : JSON.readTree(response.body())) {
                if (pipeline.equals(p.path("name").asText())) {
                    out.println("daemon (" + uri + "): " + p.path("state").asText() + ", in flight " + p.path("inFlight").asLong()
                            + ", read " + p.path("recordsIn").asLong() + ", published " + p.path("recordsOut").asLong()
                            + ", dead-lettered " + p.path("deadLettered").asLong() + " (since it started)");
                    return Optional.of(p);
                }
            }
            out.println("daemon (" + uri + "): does not run pipeline " + pipeline);
        } catch (IOException e) {
            out.println("daemon: none answers at " + uri + " (counts from the offset store only)");
        }
        return Optional.empty();
    }

    /**
     * Where the records cannot be read back: the daemon's own counts decide. Drained when it runs the
     * pipeline with nothing in flight and every record it read published or dead-lettered.
     */
    private int byOwnCounts(String why, Optional<JsonNode> daemon, PrintWriter out) {
        out.println("content not compared: " + why + " (NATS core and NSQ keep nothing to read; a Pulsar source or sink has no reader yet)");
        if (daemon.isEmpty()) {
            out.println("verdict: NOT verified: run it beside the running daemon, whose /pipelines counts show whether it is drained");
            return ExitCodes.RUNTIME;
        }
        JsonNode p = daemon.get();
        long in = p.path("recordsIn").asLong();
        long done = p.path("recordsOut").asLong() + p.path("deadLettered").asLong();
        long inFlight = p.path("inFlight").asLong();
        if (inFlight == 0 && in == done) {
            out.println("verdict: drained by the bridge's own counts: every one of the " + in
                    + " records read since the daemon started is published or dead-lettered, none in flight (content not compared)");
            return ExitCodes.OK;
        }
        out.println("verdict: NOT drained by the bridge's own counts: read " + in + ", published or dead-lettered " + done
                + ", in flight " + inFlight);
        return ExitCodes.RUNTIME;
    }
}
