package io.msgbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One launched variant (a baseline loop or the daemon) as a child process with its output in a log
 * file, and what {@code /proc} says about it: CPU time and resident memory.
 */
final class VariantProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    /** Per compiler thread id, the CPU seconds it had used when last seen (see {@link #compilerCpuSeconds()}). */
    private final Map<String, Double> compilerThreads = new HashMap<>();
    private final Path log;
    private final Integer httpPort;

    private VariantProcess(Process process, Path log, Integer httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Starts {@code command} with {@code environment} added to this process's, its output into {@code log}. */
    static VariantProcess start(List<String> command, Map<String, String> environment, Path log, Integer httpPort) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        return new VariantProcess(builder.start(), log, httpPort);
    }

    /**
     * Waits until the variant says it is ready (the daemon's /health/ready, or READY from a baseline).
     * A daemon's {@code /metrics} is then read once, as a monitoring system scrapes a daemon from its
     * start: the first scrape loads the code that renders the metrics, and the class loading makes the
     * JIT throw away and redo compiled code of the hot path (CharsetDecoder, CompletableFuture, the
     * virtual thread scheduler: {@code -XX:+PrintCompilation} showed it "marked for deoptimization").
     * Read first at the start of the measured window, as it was until 2026-12-02, it put that
     * recompilation into the window.
     */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("variant exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            if (ready()) {
                commits();
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("variant not ready within " + timeout + "; see " + log);
    }

    private boolean ready() throws IOException, InterruptedException {
        if (httpPort == null) {
            return Files.readString(log).contains("READY");
        }
        try {
            return get("/health/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The daemon's {@code bridge_commits_total}, summed over pipelines; -1 for a baseline or when unreadable. */
    long commits() {
        if (httpPort == null) {
            return -1;
        }
        try {
            long total = 0;
            for (String line : get("/metrics").body().split("\n")) {
                if (line.startsWith("bridge_commits_total")) {
                    total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** User plus system CPU seconds used so far. */
    double cpuSeconds() throws IOException {
        assertRunning();
        return cpuSeconds(Path.of("/proc/" + process.pid() + "/stat"));
    }

    /**
     * User plus system CPU seconds used so far by the JVM's JIT compiler threads ("C1 CompilerThread",
     * "C2 CompilerThread"). HotSpot starts and stops these as its compile queue grows and shrinks, and a
     * stopped thread's CPU leaves {@code /proc}: so this adds up what every compiler thread had used when
     * last seen, and the bench {@link #lookAtCompilerThreads() looks} a few times a second while a run is
     * measured. What a thread used after the last look before it stopped is missed (a few hundred
     * milliseconds at most).
     */
    double compilerCpuSeconds() throws IOException {
        lookAtCompilerThreads();
        return compilerThreads.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Remembers what each compiler thread running now has used so far. */
    void lookAtCompilerThreads() throws IOException {
        assertRunning();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        compilerThreads.put(task.getFileName().toString(), cpuSeconds(task.resolve("stat")));
                    }
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
    }

    /** A variant that died while measured ends the run with its exit code and log, not a missing /proc file. */
    private void assertRunning() {
        if (!process.isAlive()) {
            throw new IllegalStateException("variant exited with " + process.exitValue() + " during the run; see " + log);
        }
    }

    private static double cpuSeconds(Path stat) throws IOException {
        return MachineCpu.cpuSeconds(Files.readString(stat));
    }

    /** Resident set now (VmRSS), MiB. */
    double rssMiB() throws IOException {
        return status("VmRSS:");
    }

    /** Peak resident set (VmHWM), MiB. */
    double peakRssMiB() throws IOException {
        return status("VmHWM:");
    }

    private double status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024.0;
            }
        }
        return -1;
    }

    /** SIGTERM, then SIGKILL if it has not exited within 40 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
