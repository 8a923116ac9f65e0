package io.msgbridge.deadletter;

import io.msgbridge.config.MemoryConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.LocalOwner;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.runtime.MemoryBudget;
import io.msgbridge.runtime.OffsetStoreGate;
import io.msgbridge.runtime.Pipeline;
import io.msgbridge.runtime.PipelineState;
import io.msgbridge.runtime.PipelineStatus;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * {@code bridge dlq replay}: runs a pipeline of the runtime whose source is the dead-letter route's
 * read-back ({@link ReplaySource}), whose sink is the pipeline's sink (or another) and whose dead-letter
 * route is the pipeline's own ({@link ReplayDeadLetterSink}), so replayed records go through the same
 * lanes, per-key order, retry and sink code. Its name is {@code NAME~replay} (plus a hash of the
 * filters when narrowed): progress is committed under that name like any pipeline's offsets, so an
 * interrupted replay resumes where it was, and the sink gets the same deterministic id for a record on
 * every run ({@code NAME~replay/PARTITION/POSITION}), which a deduplicating sink (JetStream
 * {@code Nats-Msg-Id}) uses to drop what an interrupted run already sent. It stops once the route was
 * read to its end as of the start and everything handed out is done.
 */
public final class DeadLetterReplay {
    private static final Duration CHECK = Duration.ofMillis(200);
    private static final Duration DRAIN = Duration.ofSeconds(60);

    /**
     * What to replay and where.
     *
     * @param filter     which dead letters
     * @param maxReplays dead letters replayed this many times already are left where they are
     * @param to         the sink to publish to instead of the pipeline's
     * @param progress   how often to report progress
     */
    public record Options(DeadLetterFilter filter, int maxReplays, Optional<Connector.SinkSpec> to, Duration progress) {
    }

    /**
     * The outcome.
     *
     * @param name        the replay's offsets name
     * @param replayed    records confirmed by the sink in this run
     * @param failedAgain records that failed again and went back to the dead-letter route
     * @param skipped     dead letters left in the route because of {@code --max-replays}
     * @param complete    whether the route was read to its end and every record is done and committed
     * @param error       why it stopped early, or null
     */
    public record Report(String name, long replayed, long failedAgain, long skipped, boolean complete, String error) {
    }

    private DeadLetterReplay() {
    }

    /** The offsets name of a replay of {@code pipeline} with {@code filter}. */
    public static String name(String pipeline, DeadLetterFilter filter) {
        if (!filter.narrowed()) {
            return pipeline + "~replay";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(filter.describe().getBytes(StandardCharsets.UTF_8));
            return pipeline + "~replay-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Runs the replay until it is complete or the thread is interrupted; {@code store} is not opened yet.
     * A store that refuses to open (an offsets file a running daemon holds, a missing database) ends the
     * replay at once with that reason: a command waits out an outage, not something only an operator ends.
     */
    public static Report run(PipelineConfig pipeline, Options options, OffsetStore store, Consumer<String> progress)
            throws InterruptedException {
        String name = name(pipeline.name(), options.filter());
        try {
            store.open();
        } catch (OffsetStoreException e) {
            if (!e.retriable()) {
                store.close();
                return new Report(name, 0, 0, 0, false, e.getMessage());
            }
        }
        Connector.SourceSpec reader = DeadLetterListing.reader(pipeline);
        ReplayOrigins origins = new ReplayOrigins();
        ReplaySource[] source = new ReplaySource[1];
        Connector.SourceSpec replaySource = new Connector.SourceSpec() {
            @Override
            public Source create() {
                source[0] = new ReplaySource(reader.create(), options.filter(), options.maxReplays(), origins);
                return source[0];
            }

            @Override
            public String describe() {
                return "replay of " + reader.describe();
            }
        };
        Connector.SinkSpec route = pipeline.deadLetter().orElseThrow();
        Connector.SinkSpec replayRoute = new Connector.SinkSpec() {
            @Override
            public Sink create() {
                return new ReplayDeadLetterSink(route.create(), origins);
            }

            @Override
            public String describe() {
                return route.describe();
            }
        };
        PipelineConfig replay = new PipelineConfig(name, replaySource, options.to().orElse(pipeline.sink()),
                Optional.of(replayRoute), pipeline.key(), pipeline.lanes(), pipeline.maxInFlightRecords(),
                pipeline.maxInFlightBytes(), pipeline.retry(), SourceContext.Resume.STORE,
                PipelineConfig.OnPoison.DEAD_LETTER, pipeline.commitInterval(), pipeline.stallTimeout());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(name + "-timer").daemon().factory());
        OffsetStoreGate gate = new OffsetStoreGate(store);
        MemoryBudget budget = MemoryBudget.of(MemoryConfig.DEFAULT);
        Pipeline runner = new Pipeline(replay, gate, LocalOwner.id(), PipelineMetrics.NONE, timer, Clock.systemUTC(), DRAIN,
                budget, budget.readAhead(replay.maxInFlightBytes(), 1));
        Thread thread = Thread.ofPlatform().name(name + "-pump").start(runner::run);
        try {
            return await(runner, source, options.progress(), progress);
        } finally {
            runner.stop();
            runner.awaitStopped(DRAIN.plusSeconds(15));
            timer.shutdownNow();
            gate.close();
            thread.join(Duration.ofSeconds(5));
        }
    }

    private static Report await(Pipeline runner, ReplaySource[] source, Duration every, Consumer<String> progress)
            throws InterruptedException {
        long nextReport = System.nanoTime() + every.toNanos();
        while (true) {
            PipelineStatus status = runner.status();
            ReplaySource s = source[0];
            if (status.state() == PipelineState.FAILED || status.state() == PipelineState.STOPPED) {
                return report(status, s, false, status.lastError());
            }
            boolean done = s != null && s.exhausted() && status.recordsIn() == s.handedOut() && status.inFlight() == 0;
            if (done) {
                runner.stop();
                runner.awaitStopped(DRAIN.plusSeconds(15));
                PipelineStatus last = runner.status();
                boolean complete = last.state() == PipelineState.STOPPED && last.inFlight() == 0;
                return report(last, s, complete, complete ? null : last.lastError());
            }
            if (System.nanoTime() - nextReport >= 0) {
                nextReport = System.nanoTime() + every.toNanos();
                progress.accept(line(status, s) + (status.lastError() == null ? "" : "; last error: " + status.lastError()));
            }
            Thread.sleep(CHECK);
        }
    }

    private static Report report(PipelineStatus status, ReplaySource source, boolean complete, String error) {
        return new Report(status.name(), status.recordsOut(), status.deadLettered(), source == null ? 0 : source.skipped(),
                complete, error);
    }

    private static String line(PipelineStatus status, ReplaySource source) {
        return status.name() + ": " + status.state() + ", replayed " + status.recordsOut() + ", failed again "
                + status.deadLettered() + ", in flight " + status.inFlight()
                + (source == null ? "" : ", skipped (max replays) " + source.skipped());
    }
}
