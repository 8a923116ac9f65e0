package io.msgbridge.system;

import io.msgbridge.testing.Ports;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon as a real child process ({@code bridge run FILE}), with the test's classpath and JDK, so
 * that SIGKILL and SIGTERM are real signals to a real JVM. Its output goes to a log file, printed when
 * a test fails to help read what happened.
 */
public final class DaemonProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private static final Path ENV = Path.of("/usr/bin/env");
    /** The JVM options of tests that need room rather than the shipped heap cap. */
    private static final List<String> TEST_JVM = List.of("-Xmx512m");
    /** The JVM options the daemon ships with ({@code config/jvm.options}, as {@code bin/bridge} passes them). */
    private static final List<String> SHIPPED_JVM = List.of("@" + Path.of("..", "config", "jvm.options").toAbsolutePath().normalize());
    private final Path log;
    private final int httpPort;

    private DaemonProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Runs {@code bridge ARGS...}, waits for it to exit, returns exit code and output. */
    public static Result command(Path workDir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "command", ".log");
        Process p = builder(workDir, TEST_JVM, args).redirectOutput(out.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bridge " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    /** Runs {@code bridge ARGS...} with {@code input} on its stdin, waits for it to exit, returns exit code and output. */
    public static Result command(Path workDir, String input, List<String> args) throws IOException, InterruptedException {
        Path in = Files.createTempFile(workDir, "input", ".txt");
        Files.writeString(in, input);
        Path out = Files.createTempFile(workDir, "command", ".log");
        Process p = builder(workDir, TEST_JVM, args.toArray(String[]::new)).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bridge " + String.join(" ", args) + " did not finish in 60 s; output:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    /** Starts {@code bridge ARGS...} without waiting; its stdout goes to {@code out}, its stderr to {@code err}. */
    public static Process start(Path workDir, Path out, Path err, String... args) throws IOException {
        return builder(workDir, TEST_JVM, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** The outcome of a command. */
    public record Result(int exitCode, String output) {
    }

    /** Starts {@code bridge run CONFIG}; {@code httpPort} must be the port in the config's {@code http.listen}. */
    public static DaemonProcess run(Path config, int httpPort, String... options) throws IOException {
        return run(TEST_JVM, config, httpPort, options);
    }

    /** Like {@link #run}, with the shipped JVM options ({@code config/jvm.options}: its heap cap, exit on out-of-memory). */
    public static DaemonProcess runWithShippedJvmOptions(Path config, int httpPort, String... options) throws IOException {
        return run(SHIPPED_JVM, config, httpPort, options);
    }

    /**
     * Starts {@code bridge ARGS...} (such as {@code dlq replay FILE}) without waiting, for a test that waits
     * for it with {@link #waitFor} or kills it halfway; it has no HTTP endpoint to ask.
     */
    public static DaemonProcess spawn(Path workDir, String... args) throws IOException {
        return start(TEST_JVM, workDir, -1, args);
    }

    private static DaemonProcess run(List<String> jvm, Path config, int httpPort, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", config.toString()));
        args.addAll(List.of(options));
        return start(jvm, config.getParent(), httpPort, args.toArray(String[]::new));
    }

    private static DaemonProcess start(List<String> jvm, Path workDir, int httpPort, String... args) throws IOException {
        Path log = Files.createTempFile(workDir, "daemon", ".log");
        Process p = builder(workDir, jvm, args).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true).start();
        return new DaemonProcess(p, log, httpPort);
    }

    private static ProcessBuilder builder(Path workDir, List<String> jvm, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(ENV)) {
            // A test run started with nohup passes SIGHUP ignored on to its children, and a JVM keeps an
            // ignored SIGHUP ignored: the daemon must get it as the service manager would send it.
            command.addAll(List.of(ENV.toString(), "--default-signal=HUP"));
        }
        command.add(java);
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.msgbridge.daemon.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile());
    }

    /** Waits until {@code /health/ready} answers 200. */
    public void awaitReady(Duration timeout) {
        await("daemon ready", timeout, () -> get("/health/ready").statusCode() == 200);
    }

    /** Waits for {@code condition}, failing at once with the daemon's output if the daemon exits meanwhile. */
    public void await(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
        try {
            org.awaitility.Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertAlive();
                        return condition.call();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n/pipelines: " + get("/pipelines").body()
                    + "\nlast lines of the daemon's log:\n" + tail(60), e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Fails with the process's output when it has exited: for an await's {@code failFast}. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("bridge exited with " + process.exitValue() + ":\n" + output());
        }
    }

    /** Waits for the process to exit; its exit code. Fails with its output, after a SIGKILL, when it does not exit in time. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bridge did not finish within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** The last {@code lines} lines of the daemon's output. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new FailedResponse(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The most memory the process has had resident so far ({@code VmHWM} of {@code /proc/PID/status}, Linux),
     * in bytes.
     */
    public long peakResidentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + process.pid() + "/status");
    }

    /** SIGKILL: the JVM gets no chance to drain or commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon did not exit within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** A response standing in for a connection that failed (the daemon not listening yet). */
    private record FailedResponse(String body) implements HttpResponse<String> {
        @Override public int statusCode() { return -1; }
        @Override public HttpRequest request() { return null; }
        @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        @Override public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true); }
        @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        @Override public URI uri() { return null; }
        @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
