package io.msgbridge.runtime;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.config.Sizes;
import io.msgbridge.http.StatusServer;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.LocalOwner;
import io.msgbridge.offsets.OffsetStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Runs every pipeline of a config, each on its own thread, so that one pipeline failing (refused
 * credentials, a missing stream) never stops another.
 */
public final class Bridge {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final BridgeConfig config;
    private final OffsetStoreGate store;
    private final ScheduledExecutorService timer;
    private final List<Pipeline> pipelines = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    public Bridge(BridgeConfig config, OffsetStore store, Function<String, PipelineMetrics> metrics, Clock clock) {
        this.config = config;
        this.store = new OffsetStoreGate(store);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bridge-timer").daemon().factory());
        String owner = LocalOwner.id();
        MemoryBudget budget = MemoryBudget.of(config.memory());
        int count = config.pipelines().size();
        for (PipelineConfig pipeline : config.pipelines()) {
            pipelines.add(new Pipeline(pipeline, this.store, owner, metrics.apply(pipeline.name()), timer, clock,
                    config.shutdownTimeout(), budget, budget.readAhead(pipeline.maxInFlightBytes(), count)));
        }
        LOG.info("memory budget for records in flight: {} ({}), shared by {} pipelines; each pipeline's source reads "
                + "ahead at most its max-in-flight.bytes / 4 or a quarter of its even share", Sizes.format(budget.total()),
                config.memory().text(), count);
    }

    /** Starts every pipeline. */
    public void start() {
        for (Pipeline pipeline : pipelines) {
            threads.add(Thread.ofPlatform().name(pipeline.name() + "-pump").start(pipeline::run));
        }
        LOG.info("started {} pipelines from {}", pipelines.size(), config.file());
    }

    public List<PipelineStatus> statuses() {
        return pipelines.stream().map(Pipeline::status).toList();
    }

    /** Releases or skips a parked key of a pipeline (see {@link Pipeline#unpark}). */
    public StatusServer.KeyControl.Outcome unpark(String pipeline, String key, boolean skip) {
        for (Pipeline p : pipelines) {
            if (p.name().equals(pipeline)) {
                return p.unpark(key, skip) ? StatusServer.KeyControl.Outcome.DONE
                        : StatusServer.KeyControl.Outcome.NOT_PARKED;
            }
        }
        return StatusServer.KeyControl.Outcome.UNKNOWN_PIPELINE;
    }

    /**
     * Stops every pipeline: stop polling, drain in-flight records (bounded by the shutdown timeout),
     * commit, close. Returns when all have stopped or the timeout (plus a margin to commit) passed.
     */
    public void stop() throws InterruptedException {
        LOG.info("stopping {} pipelines (drain timeout {})", pipelines.size(), config.shutdownTimeout());
        pipelines.forEach(Pipeline::stop);
        Duration wait = config.shutdownTimeout().plusSeconds(15);
        for (Pipeline pipeline : pipelines) {
            if (!pipeline.awaitStopped(wait)) {
                LOG.warn("pipeline {} did not stop in time", pipeline.name());
            }
        }
        timer.shutdownNow();
        store.close();
        LOG.info("stopped");
    }
}
