package io.msgbridge.daemon;

import com.codahale.metrics.MetricRegistry;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.http.StatusServer;
import io.msgbridge.metrics.DropwizardPipelineMetrics;
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

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bridge run FILE}: checks FILE, then runs every pipeline until SIGTERM or SIGINT; then stops
 * polling, drains what is in flight (bounded by {@code shutdown-timeout}), commits and exits 0.
 */
@Command(name = "run", description = "Run every pipeline in FILE until SIGTERM/SIGINT, then drain, commit and exit 0.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Parameters(paramLabel = "FILE", description = "the pipelines file (YAML)")
    Path file;

    @Option(names = "--log-format", defaultValue = "text", description = "text (default) or json: one JSON object per line")
    String logFormat;

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
        Logging.configure(format);
        Optional<BridgeConfig> loaded = ConfigFile.load(file, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.INVALID;
        }
        BridgeConfig config = loaded.get();
        HeapCheck.warning(config.pipelines(), Runtime.getRuntime().maxMemory()).ifPresent(LOG::warn);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        MetricRegistry registry = new MetricRegistry();
        Bridge bridge = new Bridge(config, OffsetStores.create(config.offsets()),
                pipeline -> new DropwizardPipelineMetrics(registry, pipeline), Clock.systemUTC());
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
        if (server != null) {
            server.close();
        }
        return ExitCodes.OK;
    }
}
