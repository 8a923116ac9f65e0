package io.msgbridge.daemon;

import com.codahale.metrics.MetricRegistry;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.http.StatusServer;
import io.msgbridge.metrics.DropwizardPipelineMetrics;
import io.msgbridge.offsets.InstanceId;
import io.msgbridge.offsets.OffsetStores;
import io.msgbridge.runtime.Bridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bridge run FILE}: checks FILE, then runs every pipeline until SIGTERM or SIGINT; then stops
 * polling, drains what is in flight (bounded by {@code shutdown-timeout}), commits and exits 0. SIGHUP
 * reads FILE again and applies it ({@link Bridge#reload}); an invalid file is refused with the problems
 * {@code validate} prints, and the pipelines keep running as they were.
 */
@Command(name = "run", description = "Run every pipeline in FILE until SIGTERM/SIGINT, then drain, commit and exit 0. "
        + "SIGHUP reloads FILE.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    static final String INSTANCE_ENV = "BRIDGE_INSTANCE_ID";

    @Parameters(paramLabel = "FILE", description = "the pipelines file (YAML)")
    Path file;

    @Option(names = "--log-format", defaultValue = "text", description = "text (default) or json: one JSON object per line")
    String logFormat;

    @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:" + INSTANCE_ENV + "}",
            description = "what this daemon claims pipelines under in the offset store; default $" + INSTANCE_ENV
                    + ", else the host name. A daemon restarted with the same id takes its pipelines over at once; "
                    + "daemons sharing a store need different ids")
    String instanceId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Logging.LogFormat format = switch (logFormat) {
            case "text" -> Logging.LogFormat.TEXT;
            case "json" -> Logging.LogFormat.JSON;
            default -> null;
        };
        if (format == null) {
            spec.commandLine().getErr().println("--log-format: invalid value \"" + logFormat + "\": must be text or json");
            return ExitCodes.INVALID;
        }
        Optional<InstanceId> instance = instance();
        if (instance.isEmpty()) {
            return ExitCodes.INVALID;
        }
        Logging.configure(format);
        Optional<BridgeConfig> loaded = ConfigFile.load(file, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.INVALID;
        }
        BridgeConfig config = loaded.get();
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        MetricRegistry registry = new MetricRegistry();
        Bridge bridge = new Bridge(config, OffsetStores.create(config.offsets()), instance.get(),
                pipeline -> new DropwizardPipelineMetrics(registry, pipeline), Clock.systemUTC());
        ExecutorService reloads = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("reload").daemon().factory());
        AtomicBoolean reloadPending = new AtomicBoolean();
        SignalHandler before = Signal.handle(new Signal("HUP"), signal -> {
            if (reloadPending.compareAndSet(false, true)) {
                reloads.execute(() -> {
                    reloadPending.set(false);
                    reload(bridge);
                });
            }
        });
        if (before == SignalHandler.SIG_IGN) {
            LOG.warn("SIGHUP is ignored in this process (started with nohup?), so it cannot reload {}", file);
        }
        StatusServer server = null;
        if (config.http().enabled()) {
            try {
                server = StatusServer.start(config.http(), registry, bridge::statuses, bridge::unpark);
                LOG.info("status and metrics on http://{}:{}/ (/metrics, /health/live, /health/ready, /pipelines)",
                        config.http().host(), server.port());
            } catch (IOException e) {
                LOG.error("cannot serve HTTP: {}; set http.listen to a free address or http.enabled: false", e.getMessage());
                return ExitCodes.RUNTIME;
            }
        }
        bridge.start();
        stop.await();
        LOG.info("signal received: stopping");
        bridge.stop();
        reloads.shutdownNow();
        if (server != null) {
            server.close();
        }
        return ExitCodes.OK;
    }

    /**
     * SIGHUP: reads FILE again. An invalid file is logged as {@code validate} prints it and changes
     * nothing; a valid one is applied. Reloads run one at a time on their own thread, and signals that
     * come while one waits to run are one reload (it reads the file as it is then).
     */
    private void reload(Bridge bridge) {
        LOG.info("SIGHUP: reloading {}", file);
        try {
            Optional<BridgeConfig> next = ConfigFile.load(file, LOG::error,
                    "reload refused: the pipelines keep running with the config loaded before");
            if (next.isPresent()) {
                bridge.reload(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("reload of {} failed: {}; the pipelines it did not reach keep running as they were", file, e, e);
        }
    }

    private Optional<InstanceId> instance() {
        if (instanceId == null || instanceId.isEmpty()) {
            return Optional.of(InstanceId.ofHost());
        }
        Optional<String> problem = InstanceId.problem(instanceId);
        if (problem.isPresent()) {
            spec.commandLine().getErr().println("--instance-id (or " + INSTANCE_ENV + "): invalid value \"" + instanceId
                    + "\": " + problem.get());
            return Optional.empty();
        }
        return Optional.of(new InstanceId(instanceId));
    }
}
