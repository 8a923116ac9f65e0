package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import io.nats.client.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGHUP makes the running daemon read its pipelines file again: a changed pipeline is drained and
 * restarted with its new config, an unchanged one keeps running without a pause, and an invalid file
 * is refused with the problems {@code validate} prints while the old config keeps running.
 *
 * <p>The unchanged pipeline reads core NATS, which cannot replay: had it been stopped for a moment,
 * the messages published meanwhile would be missing at the far end.
 */
class ReloadOnSighupTest {
    private static final int BATCH = 2_000;

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** The pipelines file, with the changing pipeline writing to {@code version} and {@code extra} added to it. */
    private String pipelines(int port, String version, String extra) {
        return """
                http: { listen: 127.0.0.1:%1$d }
                connections:
                  local: { type: nats, servers: [%2$s] }
                pipelines:
                  - name: steady
                    from: { connection: local, subject: "steady.%3$s.in" }
                    to:
                      connection: local
                      subject: "steady.%3$s.out"
                      create-stream: { name: STEADY_%3$s, subjects: [ "steady.%3$s.out" ] }
                    key: none
                  - name: changing
                    from: { connection: local, stream: CHG_SRC_%3$s }
                    to: { connection: local, subject: "chg.%3$s.%4$s" }
                    %5$s
                """.formatted(port, JetStreamFixture.URL, id, version, extra);
    }

    @Test
    void sighupRestartsTheChangedPipelineLeavesTheUnchangedOneRunningAndRefusesAnInvalidFile() throws Exception {
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, pipelines(port, "v1", "lanes: 2"));
        try (JetStreamFixture nats = new JetStreamFixture();
             DaemonProcess daemon = DaemonProcess.run(config, port)) {
            nats.createStream("CHG_SRC_" + id, "chgsrc." + id);
            nats.createStream("CHG_DST_" + id, "chg." + id + ".*");
            daemon.awaitReady(Duration.ofSeconds(60));
            SteadyPublisher steady = new SteadyPublisher(nats, "steady." + id + ".in");
            Thread publisher = Thread.ofPlatform().name("steady-publisher").start(steady);
            nats.publishKeyed("chgsrc." + id, BATCH, 20);
            daemon.await("the first batch copied", Duration.ofMinutes(1), () -> nats.count("CHG_DST_" + id) == BATCH);

            Files.writeString(config, pipelines(port, "v2", "lanes: 3"));
            int beforeReloads = steady.published();
            hangUp(config);
            daemon.await("the reload applied", Duration.ofMinutes(1), () -> daemon.output().contains("reloaded " + config));
            assertThat(daemon.output()).contains("reloading " + config
                    + ": 1 restarted (changing), 0 added, 0 removed, 1 unchanged (steady)");
            daemon.awaitReady(Duration.ofSeconds(30));
            nats.publishKeyed("chgsrc." + id, BATCH, 20);
            daemon.await("the second batch copied", Duration.ofMinutes(1), () -> nats.count("CHG_DST_" + id) == 2 * BATCH);

            Files.writeString(config, pipelines(port, "v3", "lanes: many\n    tokn: x"));
            List<String> problems = validateProblems(config);
            assertThat(problems).hasSize(2);
            hangUp(config);
            daemon.await("the reload refused", Duration.ofMinutes(1),
                    () -> daemon.output().contains("2 problems in " + config + "; reload refused"));
            assertThat(daemon.output()).contains(problems);
            nats.publishKeyed("chgsrc." + id, BATCH, 20);
            daemon.await("the third batch copied by the old config", Duration.ofMinutes(1),
                    () -> nats.count("CHG_DST_" + id) == 3 * BATCH);
            assertThat(daemon.get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(steady.published()).as("published to the unchanged pipeline during both reloads")
                    .isGreaterThan(beforeReloads);

            steady.stop();
            publisher.join();
            nats.connection.flush(Duration.ofSeconds(5));
            daemon.await("every steady message copied", Duration.ofMinutes(1),
                    () -> nats.count("STEADY_" + id) >= steady.published());
            assertThat(nats.count("STEADY_" + id)).as("nothing lost or doubled while the file was reloaded")
                    .isEqualTo(steady.published());
            Map<String, Long> bySubject = nats.readAll("CHG_DST_" + id).stream()
                    .collect(Collectors.groupingBy(Message::getSubject, Collectors.counting()));
            assertThat(bySubject.get("chg." + id + ".v1")).as("copied before the reload, to the old subject").isEqualTo((long) BATCH);
            assertThat(bySubject.get("chg." + id + ".v2")).as("copied after it, to the new one").isEqualTo(2L * BATCH);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            nats.jsm.deleteStream("STEADY_" + id);
        }
    }

    /** The problem lines {@code bridge validate} prints for the file (not its closing count). */
    private static List<String> validateProblems(Path config) throws Exception {
        DaemonProcess.Result result = DaemonProcess.command(config.getParent(), "validate", config.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        return result.output().lines().filter(line -> line.startsWith(config + ":")).toList();
    }

    /**
     * Sends SIGHUP to the daemon running {@code config}, a child of this JVM. Its command line is read
     * from {@code /proc}: {@link ProcessHandle.Info#arguments()} is empty for a command line as long as
     * the test classpath.
     */
    private static void hangUp(Path config) throws IOException, InterruptedException {
        ProcessHandle daemon = ProcessHandle.current().children().filter(p -> commandLine(p).contains(config.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no child process runs " + config));
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -HUP " + daemon.pid()).isTrue();
    }

    private static List<String> commandLine(ProcessHandle process) {
        try {
            return List.of(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Publishes numbered core-NATS messages, about 200 a second, until stopped. */
    private static final class SteadyPublisher implements Runnable {
        private final JetStreamFixture nats;
        private final String subject;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicInteger published = new AtomicInteger();

        SteadyPublisher(JetStreamFixture nats, String subject) {
            this.nats = nats;
            this.subject = subject;
        }

        @Override
        public void run() {
            while (!stopped.get()) {
                nats.connection.publish(subject, Integer.toString(published.get()).getBytes(StandardCharsets.UTF_8));
                published.incrementAndGet();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }

        void stop() {
            stopped.set(true);
        }

        int published() {
            return published.get();
        }
    }
}
