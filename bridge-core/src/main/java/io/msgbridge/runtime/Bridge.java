package io.msgbridge.runtime;

import io.msgbridge.backend.DurationText;
import io.msgbridge.backend.Plural;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.config.Sizes;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.InstanceId;
import io.msgbridge.offsets.OffsetStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs every pipeline of a config, each on its own thread, so that one pipeline failing (refused
 * credentials, a missing stream) never stops another; {@link #reload} applies a new config to the
 * running daemon.
 *
 * <p>Pipelines claim themselves in the offset store under the daemon's {@link InstanceId}.
 */
public final class Bridge {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** Beyond the drain timeout: how long a stopping pipeline may take for its final commit and close. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(15);
    private static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(5);
    /** How long a restarted pipeline must go without failing for its restarts to count from one again. */
    private static final Duration RESTART_RESET = Duration.ofMinutes(10);

    private final OffsetStoreGate store;
    private final InstanceId instance;
    private final Function<String, PipelineMetrics> metrics;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    /** What all pipelines' records in flight share; sized once, so {@code memory:} needs a restart. */
    private final MemoryBudget budget;
    /** Held for a whole reload, so that reloads apply one after the other. */
    private final ReentrantLock reloading = new ReentrantLock();
    /** Guards the fields below; held only briefly, never while waiting for a pipeline. */
    private final Object lock = new Object();
    private BridgeConfig config;
    /** The running pipelines, in file order. */
    private final Map<String, Running> running = new LinkedHashMap<>();
    /** Pipelines a reload is stopping: still shown in the status, and stopped with the daemon. */
    private final List<Running> retiring = new ArrayList<>();
    private boolean started;
    private boolean stopping;
    /** Per pipeline that failed and is restarted with backoff: its restarts so far and when the next is due. */
    private final Map<String, Restart> restarts = new HashMap<>();

    /** A failed pipeline's restart: how many came before, and when it is due. */
    private record Restart(Pipeline failed, int attempt, Instant due) {
    }

    /** A pipeline with what it was made of. */
    private record Running(PipelineConfig config, Pipeline pipeline, PipelineMetrics metrics) {
        void start() {
            Thread.ofPlatform().name(pipeline.name() + "-pump").start(pipeline::run);
        }
    }

    /**
     * A bridge of the config's pipelines, not started yet.
     *
     * @param store    the daemon's offset store, not opened yet (pipelines open it on first use)
     * @param instance what pipelines are claimed under in the store
     * @param metrics  each pipeline's metrics by name; those that are {@link AutoCloseable} are closed when
     *                 a reload removes their pipeline
     */
    public Bridge(BridgeConfig config, OffsetStore store, InstanceId instance, Function<String, PipelineMetrics> metrics,
                  Clock clock) {
        this.config = config;
        this.store = new OffsetStoreGate(store);
        this.instance = instance;
        this.metrics = metrics;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bridge-timer").daemon().factory());
        this.budget = MemoryBudget.of(config.memory());
        for (PipelineConfig pipeline : config.pipelines()) {
            running.put(pipeline.name(), create(pipeline, config.pipelines().size()));
        }
        LOG.info("memory budget for records in flight: {} ({}), shared by {}; each pipeline's source reads "
                + "ahead at most its max-in-flight.bytes / 4 or a quarter of its even share", Sizes.format(budget.total()),
                config.memory().text(), Plural.of(config.pipelines().size(), "pipeline"));
        budget.heapWarning(Runtime.getRuntime().maxMemory()).ifPresent(LOG::warn);
    }

    /** Starts every pipeline, and the watch that restarts one that failed for an unexpected reason. */
    public void start() {
        synchronized (lock) {
            running.values().forEach(Running::start);
            started = true;
            timer.scheduleWithFixedDelay(this::restartFailed, 1, 1, TimeUnit.SECONDS);
            LOG.info("started {} from {} as instance {}", Plural.of(running.size(), "pipeline"), config.file(), instance);
        }
    }

    public List<PipelineStatus> statuses() {
        List<Pipeline> shown = new ArrayList<>();
        synchronized (lock) {
            running.values().forEach(r -> shown.add(r.pipeline()));
            retiring.stream().filter(r -> !running.containsKey(r.config().name())).forEach(r -> shown.add(r.pipeline()));
        }
        return shown.stream().map(Pipeline::status).toList();
    }

    /** Releases or skips a parked key of a pipeline (see {@link Pipeline#unpark}). */
    public UnparkOutcome unpark(String pipeline, String key, boolean skip) {
        Running target;
        synchronized (lock) {
            target = running.get(pipeline);
        }
        if (target == null) {
            return UnparkOutcome.UNKNOWN_PIPELINE;
        }
        return target.pipeline().unpark(key, skip) ? UnparkOutcome.DONE
                : UnparkOutcome.NOT_PARKED;
    }

    /**
     * Applies a new config of the same file: pipelines whose config changed are stopped (drained, their
     * final commit written, their claim released) and started with the new config, new ones are
     * started, removed ones stopped; the others keep running untouched. Pipelines compare by
     * {@link PipelineConfig#equals}: the caller gives configs whose connector specs compare by value.
     * Changes outside {@code pipelines} and {@code connections} (the offset store, the HTTP endpoint,
     * the shutdown timeout, the memory budget) cannot be applied to a running daemon: they are
     * reported, and the daemon keeps what it started with. Returns once the stopped pipelines have
     * stopped and the new ones are started; does nothing once {@link #stop()} began.
     */
    public Reload reload(BridgeConfig next) throws InterruptedException {
        reloading.lock();
        try {
            List<Running> stopped = new ArrayList<>();
            Map<String, Running> reordered = new LinkedHashMap<>();
            Reload plan;
            synchronized (lock) {
                if (stopping) {
                    return Reload.NOT_APPLIED;
                }
                plan = Reload.plan(config, next, running.values().stream().map(Running::config).toList());
                for (String name : plan.stopping()) {
                    Running old = running.remove(name);
                    old.pipeline().stop();
                    retiring.add(old);
                    stopped.add(old);
                }
            }
            LOG.info("reloading {}: {}", next.file(), plan.summary());
            plan.restartNeeded().forEach(LOG::warn);
            awaitStopped(stopped, config.shutdownTimeout().plus(STOP_MARGIN));
            synchronized (lock) {
                retiring.removeAll(stopped);
                if (stopping) {
                    return plan;
                }
                for (Running old : stopped) {
                    if (!plan.restarted().contains(old.config().name()) && old.metrics() instanceof AutoCloseable series) {
                        closeQuietly(old.config().name(), series);
                    }
                }
                for (PipelineConfig pipeline : next.pipelines()) {
                    Running current = running.get(pipeline.name());
                    if (current != null) {
                        reordered.put(pipeline.name(), current);
                    } else {
                        startNew(pipeline, next.pipelines().size()).ifPresent(r -> reordered.put(pipeline.name(), r));
                    }
                }
                running.clear();
                running.putAll(reordered);
                config = plan.applied(config, next);
            }
            LOG.info("reloaded {}: {} running", next.file(), Plural.of(reordered.size(), "pipeline"));
            return plan;
        } finally {
            reloading.unlock();
        }
    }

    /**
     * Stops every pipeline: stop polling, drain in-flight records (bounded by the shutdown timeout),
     * commit, close. Returns when all have stopped or the timeout (plus a margin to commit) passed.
     * A reload under way stops too: what it was stopping is waited for here, and it starts nothing more.
     */
    public void stop() throws InterruptedException {
        List<Running> all;
        Duration timeout;
        synchronized (lock) {
            stopping = true;
            all = new ArrayList<>(running.values());
            all.addAll(retiring);
            timeout = config.shutdownTimeout();
        }
        LOG.info("stopping {} (drain timeout {})", Plural.of(all.size(), "pipeline"), DurationText.format(timeout));
        all.forEach(r -> r.pipeline().stop());
        awaitStopped(all, timeout.plus(STOP_MARGIN));
        timer.shutdownNow();
        store.close();
        LOG.info("stopped");
    }

    /**
     * Restarts, with backoff (1 s, doubling, at most 5 min), each pipeline that failed for a reason a
     * fresh start may cure ({@link Pipeline#failedRestartably()}); others are untouched. The count of
     * restarts starts again once a restarted pipeline has not failed for {@link #RESTART_RESET}.
     */
    private void restartFailed() {
        try {
            Instant now = clock.instant();
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                restarts.values().removeIf(r -> Duration.between(r.due(), now).compareTo(RESTART_RESET) > 0
                        && !running.containsKey(r.failed().name()));
                for (Running r : List.copyOf(running.values())) {
                    String name = r.config().name();
                    if (!r.pipeline().failedRestartably()) {
                        continue;
                    }
                    Restart restart = restarts.get(name);
                    if (restart == null || restart.failed() != r.pipeline()) {
                        int attempt = restart == null || Duration.between(restart.due(), now).compareTo(RESTART_RESET) > 0
                                ? 1 : restart.attempt() + 1;
                        Duration delay = restartDelay(attempt);
                        restarts.put(name, new Restart(r.pipeline(), attempt, now.plus(delay)));
                        LOG.warn("pipeline {} failed ({}); restarting it in {} (restart {})", name,
                                r.pipeline().status().lastError(), DurationText.format(delay), attempt);
                    } else if (!now.isBefore(restart.due())) {
                        startNew(r.config(), running.size()).ifPresent(fresh -> running.put(name, fresh));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("restarting failed pipelines failed; trying again in a second", e);
        }
    }

    private static Duration restartDelay(int attempt) {
        long seconds = 1L << Math.min(attempt - 1, 9);
        return Duration.ofSeconds(Math.min(seconds, MAX_RESTART_DELAY.toSeconds()));
    }

    /**
     * A pipeline a reload adds or restarts, started when the bridge is. One that cannot even be made is
     * left out (and logged): the next reload tries it again.
     */
    private Optional<Running> startNew(PipelineConfig pipeline, int pipelines) {
        Running created;
        try {
            created = create(pipeline, pipelines);
        } catch (RuntimeException e) {
            LOG.error("pipeline {} not started: {}", pipeline.name(), e.toString(), e);
            return Optional.empty();
        }
        if (started) {
            created.start();
        }
        return Optional.of(created);
    }

    /**
     * A pipeline of a config of {@code pipelines} pipelines, draining for at most the shutdown timeout the
     * daemon started with. Its source reads ahead by its share of the budget among that many.
     */
    private Running create(PipelineConfig pipeline, int pipelines) {
        PipelineMetrics pipelineMetrics = metrics.apply(pipeline.name());
        return new Running(pipeline, new Pipeline(pipeline, store, instance.value(), pipelineMetrics, timer, clock,
                config.shutdownTimeout(), budget, budget.readAhead(pipeline.maxInFlightBytes(), pipelines)), pipelineMetrics);
    }

    /** Waits for the pipelines to stop, all within one {@code timeout} (they stop in parallel). */
    private static void awaitStopped(List<Running> pipelines, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Running r : pipelines) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!r.pipeline().awaitStopped(left)) {
                LOG.warn("pipeline {} did not stop within {}", r.pipeline().name(), DurationText.format(timeout));
            }
        }
    }

    private static void closeQuietly(String pipeline, AutoCloseable series) {
        try {
            series.close();
        } catch (Exception e) {
            LOG.warn("could not remove the metrics of removed pipeline {}: {}", pipeline, e.toString());
        }
    }
}
