package io.msgbridge.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.testing.Ports;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution tarball as an operator installs it: unpacked into an empty directory, its own
 * {@code bin/bridge} (which builds nothing) validates and runs pipelines on the JDK that
 * {@code JAVA_HOME} names, and SIGTERM to the process it started stops the daemon cleanly. The tarball
 * is the one bridge-daemon built in this build directory ({@code msgbridge.distribution}, set in
 * system-tests/pom.xml).
 */
class DistributionTest {
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path installDir;

    private static Path root;

    @TempDir
    Path work;

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        String property = System.getProperty("msgbridge.distribution");
        assertThat(property).as("system property msgbridge.distribution (system-tests/pom.xml sets it)").isNotBlank();
        Path tarball = Path.of(property).toAbsolutePath().normalize();
        assertThat(tarball).as("the distribution tarball; build it first: mvn -pl bridge-daemon -am package").isRegularFile();
        Result untar = execute(new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", installDir.toString()),
                installDir.resolve("tar.log"));
        assertThat(untar.exitCode()).as("tar -xzf %s: %s", tarball, untar.output()).isZero();
        String name = tarball.getFileName().toString();
        root = installDir.resolve(name.substring(0, name.length() - ".tar.gz".length()));
        assertThat(root).as("the tarball's top directory").isDirectory();
    }

    @Test
    void unpacksIntoALauncherTheLibrariesTheConfigAndTheDeployFilesWithNothingToBuild() throws IOException {
        assertThat(root.resolve("bin/bridge")).isExecutable();
        assertThat(root.resolve("lib/bridge-daemon.jar")).isRegularFile();
        try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString()))
                    .allMatch(jar -> jar.endsWith(".jar"))
                    .anyMatch(jar -> jar.startsWith("jnats-"))
                    .anyMatch(jar -> jar.startsWith("pulsar-client"))
                    .anyMatch(jar -> jar.startsWith("bridge-nsq"))
                    .anyMatch(jar -> jar.startsWith("bridge-kafka"))
                    .anyMatch(jar -> jar.startsWith("kafka-clients"))
                    .anyMatch(jar -> jar.startsWith("bridge-rocketmq"))
                    .anyMatch(jar -> jar.startsWith("rocketmq-client"))
                    .anyMatch(jar -> jar.startsWith("bridge-builtin"))
                    .noneMatch(jar -> jar.startsWith("rocketmq-rocksdb") || jar.startsWith("grpc-"));
        }
        assertThat(root.resolve("config/quickstart.yaml")).isRegularFile();
        assertThat(root.resolve("config/try.yaml")).isRegularFile();
        assertThat(root.resolve("config/coze/nsq-to-pulsar.yaml")).isRegularFile();
        assertThat(root.resolve("config/jvm.options")).isRegularFile();
        assertThat(root.resolve("deploy/README.md")).isRegularFile();
        assertThat(root.resolve("deploy/systemd/msgbridge.service")).isRegularFile();
        assertThat(root.resolve("deploy/kubernetes/deployment.yaml")).isRegularFile();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(file -> root.relativize(file).toString()))
                    .as("an installed tree holds no build files")
                    .noneMatch(file -> file.endsWith("pom.xml") || file.endsWith(".java"));
        }
    }

    @Test
    void validatesTheQuickstartPipelinesFromTheUnpackedTree() throws Exception {
        Result result = bridge("validate", "config/quickstart.yaml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("config/quickstart.yaml: valid, 1 pipeline\n")
                .contains("quickstart: nats:demo.> -> nats-jetstream:archive.{subject}");
    }

    @Test
    void refusesABrokenFileWithExitCode2NamingFileLineAndColumn() throws Exception {
        Path broken = work.resolve("broken.yaml");
        Files.writeString(broken, """
                connections:
                  local: { type: nats, servers: [ "nats://127.0.0.1:4222" ] }
                pipelines:
                  - name: broken
                    from: { connection: local, subject: "in.>" }
                    to: { connection: local, subject: "out.{subject}" }
                    lanes: 0
                """);

        Result result = bridge("validate", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output())
                .contains(broken + ":7:12: pipelines[0].lanes: invalid value \"0\": must be an integer in 1..4096")
                .contains("1 problem in " + broken + "; nothing was started");
    }

    @Test
    void refusesAJavaOlderThan21NamingItsVersion() throws Exception {
        Path oldJdk = work.resolve("old-jdk");
        Path java = Files.createDirectories(oldJdk.resolve("bin")).resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo 'openjdk version "17.0.2" 2022-01-18' >&2
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result result = execute(launcher(Map.of("JAVA_HOME", oldJdk.toString()), "validate", "config/quickstart.yaml"),
                work.resolve("old-java.log"));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(java + " is Java 17.0.2; msgbridge needs Java 21 or newer");
    }

    @Test
    void runsAPipelineUntilSigtermThenDrainsAndExitsZero() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int port = Ports.free();
        Path config = work.resolve("pipelines.yaml");
        Files.writeString(config, """
                offsets: { file: { path: state/offsets.json } }
                http: { listen: 127.0.0.1:%d }
                shutdown-timeout: 10s
                connections:
                  local: { type: nats, servers: [ "%s" ] }
                pipelines:
                  - name: dist-%s
                    from: { connection: local, subject: "dist.%s.in.>" }
                    to: { connection: local, subject: "dist.%s.out.{subject}", mode: core }
                    key: subject
                """.formatted(port, JetStreamFixture.URL, id, id, id));
        Path log = work.resolve("daemon.log");
        Process daemon = launcher(Map.of(), "run", config.toString())
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        try (Connection nats = Nats.connect(JetStreamFixture.URL)) {
            await("/health/ready to answer 200", daemon, log, () -> status(port, "/health/ready") == 200);
            assertThat(status(port, "/health/live")).isEqualTo(200);
            assertThat(daemon.info().command().orElse("(unknown)"))
                    .as("the launcher's process, once the daemon serves HTTP: the JVM (exec), so that SIGTERM reaches it")
                    .endsWith("/java");

            Subscription out = nats.subscribe("dist." + id + ".out.>");
            nats.flush(Duration.ofSeconds(5));
            List<Message> received = new ArrayList<>();
            await("a message published to dist." + id + ".in.orders to arrive on the out subject", daemon, log, () -> {
                nats.publish("dist." + id + ".in.orders", "hello".getBytes(StandardCharsets.UTF_8));
                Message message = out.nextMessage(Duration.ofMillis(200));
                if (message != null) {
                    received.add(message);
                }
                return !received.isEmpty();
            });
            assertThat(received.getFirst().getSubject()).isEqualTo("dist." + id + ".out.dist." + id + ".in.orders");
            assertThat(new String(received.getFirst().getData(), StandardCharsets.UTF_8)).isEqualTo("hello");

            daemon.destroy();
            assertThat(daemon.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("exit within %s of SIGTERM; log:%n%s", STOP_DEADLINE, read(log)).isTrue();
            assertThat(daemon.exitValue()).as(read(log)).isZero();
            assertThat(read(log)).contains("signal received: stopping");
            assertThat(work.resolve("state/offsets.json")).as("the file offset store").isRegularFile();
        } finally {
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
        }
    }

    /**
     * The pipeline of {@code config/try.yaml} as shipped, on a port of its own (its default 8083 may be taken on a
     * test machine): records on standard output, logs on standard error, no broker.
     */
    @Test
    void runsTheTryPipelineWithNoBrokerPrintingRecordsOnStandardOutput() throws Exception {
        int port = Ports.free();
        Path config = work.resolve("try.yaml");
        Files.writeString(config, "http: { listen: 127.0.0.1:" + port + " }\n" + Files.readString(root.resolve("config/try.yaml")));
        Path out = work.resolve("try.out");
        Path log = work.resolve("try.log");
        Process daemon = launcher(Map.of(), "run", config.toString()).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        try {
            await("three records on standard output", daemon, log, () -> read(out).lines().count() >= 3);
            daemon.destroy();
            assertThat(daemon.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as(read(log)).isTrue();
            assertThat(daemon.exitValue()).as(read(log)).isZero();
        } finally {
            daemon.destroyForcibly();
        }
        assertThat(read(out).lines().limit(3)).containsExactly("key=key-1 {\"order_id\": 1, \"customer\": \"key-1\"}",
                "key=key-2 {\"order_id\": 2, \"customer\": \"key-2\"}", "key=key-3 {\"order_id\": 3, \"customer\": \"key-3\"}");
        assertThat(read(out).lines()).as("standard output holds records only").allMatch(line -> line.startsWith("key=key-"));
        assertThat(read(log)).contains("[try] running: generate:orders -> stdout");
    }

    @Test
    void writesOnlyJsonLinesWithLogFormatJsonThoughThePulsarClientLoadsNetty() throws Exception {
        int port = Ports.free();
        Path config = work.resolve("json.yaml");
        Files.writeString(config, """
                offsets: { file: { path: state/offsets.json } }
                http: { listen: 127.0.0.1:%d }
                connections:
                  local: { type: nats, servers: [ "%s" ] }
                  nowhere: { type: pulsar, service-url: "pulsar://127.0.0.1:%d" }
                pipelines:
                  - name: json-lines
                    from: { connection: local, subject: "json-lines.>" }
                    to: { connection: nowhere, topic: "persistent://public/default/json-lines" }
                """.formatted(port, JetStreamFixture.URL, Ports.free()));
        Path log = work.resolve("json.log");
        Process daemon = launcher(Map.of(), "run", config.toString(), "--log-format", "json")
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        try {
            // The failed connection is logged once the Pulsar client's netty (sun.misc.Unsafe, native code) ran;
            // the client's own per-attempt lines are silenced, the pipeline's retry line says it.
            await("the sink's failed connection", daemon, log, () -> read(log).contains("connecting sink pulsar:"));
            daemon.destroy();
            assertThat(daemon.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as(read(log)).isTrue();
        } finally {
            daemon.destroyForcibly();
        }
        ObjectMapper json = new ObjectMapper();
        List<String> lines = read(log).lines().toList();
        assertThat(lines).as("the daemon's output").isNotEmpty().allSatisfy(line ->
                assertThat(json.readTree(line).isObject()).as("a JSON object: %s", line).isTrue());
    }

    private static Result bridge(String... args) throws Exception {
        return execute(launcher(Map.of(), args), Files.createTempFile(installDir, "bridge", ".log"));
    }

    /**
     * {@code ROOT/bin/bridge ARGS} run from ROOT, with this test's JDK as {@code JAVA_HOME} unless
     * {@code environment} says otherwise, and without the caller's JVM options or log level.
     */
    private static ProcessBuilder launcher(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/bridge").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().remove("BRIDGE_JAVA_OPTS");
        builder.environment().remove("BRIDGE_LOG_LEVEL");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        return builder;
    }

    private static Result execute(ProcessBuilder builder, Path log) throws IOException, InterruptedException {
        Process process = builder.redirectOutput(log.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(COMMAND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", builder.command()) + " did not finish within "
                    + COMMAND_DEADLINE + "; output:\n" + read(log));
        }
        return new Result(process.exitValue(), read(log));
    }

    private record Result(int exitCode, String output) {
    }

    /** Waits for {@code condition}, failing at once with the daemon's output if it exits meanwhile. */
    private static void await(String what, Process daemon, Path log, java.util.concurrent.Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!daemon.isAlive()) {
                    throw new AssertionError("daemon exited with " + daemon.exitValue() + " while waiting for " + what
                            + ":\n" + read(log));
                }
                return condition.call();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\ndaemon's log:\n" + read(log), e);
        }
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while asking " + path, e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
