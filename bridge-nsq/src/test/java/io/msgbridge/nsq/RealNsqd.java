package io.msgbridge.nsq;

import io.msgbridge.testing.Ports;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A real nsqd child process on free loopback ports, with its data in a temporary directory. */
public final class RealNsqd implements NsqBroker {
    private final Process process;
    private final int tcpPort;
    private final int httpPort;
    private final Path dataPath;

    private RealNsqd(Process process, int tcpPort, int httpPort, Path dataPath) {
        this.process = process;
        this.tcpPort = tcpPort;
        this.httpPort = httpPort;
        this.dataPath = dataPath;
    }

    /** Starts {@code binary} and waits until {@code /ping} answers. */
    public static RealNsqd start(String binary) throws IOException {
        int tcp = Ports.free();
        int http = Ports.free();
        Path data = Files.createTempDirectory("nsqd-data");
        Path log = data.resolve("nsqd.log");
        Process p = new ProcessBuilder(List.of(binary, "--tcp-address=127.0.0.1:" + tcp, "--http-address=127.0.0.1:" + http,
                "--data-path=" + data, "--mem-queue-size=100000"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealNsqd nsqd = new RealNsqd(p, tcp, http, data);
        HttpClient client = HttpClient.newHttpClient();
        await("nsqd " + binary + " answering /ping (log " + log + ")").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("nsqd exited with " + p.exitValue() + ": " + Files.readString(log));
                    }
                    return client.send(HttpRequest.newBuilder(nsqd.httpAddress().resolve("/ping")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                });
        return nsqd;
    }

    @Override
    public String tcpAddress() {
        return "127.0.0.1:" + tcpPort;
    }

    @Override
    public URI httpAddress() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    @Override
    public String kind() {
        return "nsqd";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "nsqd " + tcpAddress() + " (data " + dataPath + ")";
    }
}
