package io.msgbridge.nats;

import io.msgbridge.testing.Ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A nats-server child process with JetStream on a free loopback port and its own store directory,
 * for tests that stop, restart or configure a broker. Never touches the shared server on 4222.
 */
public final class NatsTestServer implements AutoCloseable {
    private static final String BINARY = System.getenv().getOrDefault("NATS_SERVER", "/usr/sbin/nats-server");

    private final int port;
    private final Path storeDir;
    private final List<String> extraArgs;
    private Process process;

    private NatsTestServer(int port, Path storeDir, List<String> extraArgs) {
        this.port = port;
        this.storeDir = storeDir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on a free port; {@code extraArgs} such as {@code --user bob --pass s3cret}. */
    public static NatsTestServer start(String... extraArgs) {
        try {
            NatsTestServer server = new NatsTestServer(Ports.free(), Files.createTempDirectory("nats-test-"), List.of(extraArgs));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server on a free port with {@code config} as its config file (accounts, permissions,
     * limits); port and store directory still come from the command line.
     */
    public static NatsTestServer startWithConfig(String config) {
        try {
            Path file = Files.createTempFile("nats-test-", ".conf");
            Files.writeString(file, config);
            return start("-c", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the server and waits for the process to end. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts again on the same port and store directory, so streams and consumers survive. */
    public void restart() {
        stop();
        launch();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(BINARY, "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                "-sd", storeDir.toString()));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(storeDir.resolve("server.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        await("nats-server on port " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(this::accepting);
    }

    private boolean accepting() {
        if (!process.isAlive()) {
            throw new IllegalStateException("nats-server exited with " + process.exitValue() + "; see " + storeDir.resolve("server.log"));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(storeDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
