package io.msgbridge.system.deadletter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A nats-server child process of the test's own (after bridge-nats' {@code NatsTestServer}): JetStream
 * on a free loopback port with its own store directory and an optional config file, so a test can stop
 * and restart it. Never touches the shared server on 4222.
 */
final class OwnNatsServer implements AutoCloseable {
    private static final String BINARY = System.getenv().getOrDefault("NATS_SERVER", "/usr/sbin/nats-server");

    private final int port;
    private final Path dir;
    private final String extraConfig;
    private Process process;

    private OwnNatsServer(int port, Path dir, String extraConfig) {
        this.port = port;
        this.dir = dir;
        this.extraConfig = extraConfig;
    }

    /** Starts a server; {@code extraConfig} is appended to its config file (accounts, limits), or empty. */
    static OwnNatsServer start(String extraConfig) {
        try {
            OwnNatsServer server = new OwnNatsServer(freePort(), Files.createTempDirectory("dlq-nats-"), extraConfig);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Stops the server (SIGTERM) and waits for the process to end. */
    void stop() {
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

    /** Starts again on the same port and store directory, so streams survive. */
    void restart() {
        stop();
        launch();
    }

    private void launch() {
        Path conf = dir.resolve("server.conf");
        try {
            Files.writeString(conf, """
                    listen: 127.0.0.1:%d
                    jetstream { store_dir: "%s" }
                    %s
                    """.formatted(port, dir.resolve("store"), extraConfig));
            process = new ProcessBuilder(List.of(BINARY, "-c", conf.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        await("nats-server on port " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(this::accepting);
    }

    private boolean accepting() {
        if (!process.isAlive()) {
            throw new IllegalStateException("nats-server exited with " + process.exitValue() + "; see " + dir.resolve("server.log"));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
