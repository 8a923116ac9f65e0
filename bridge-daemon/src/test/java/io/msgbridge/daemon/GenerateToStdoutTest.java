package io.msgbridge.daemon;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bridge run} of a generate -> stdout pipeline: the daemon's real main as a child process, with this
 * test's classpath, its standard output and error in files, stopped with SIGTERM. No broker, no database:
 * positions go to the file store beside the config file. Tagged integration as every test that runs the
 * daemon as a child process is (docs/development.md), though it needs nothing installed or running.
 */
@Tag("integration")
class GenerateToStdoutTest {
    private static final Pattern LINE = Pattern.compile("key=(key-\\d+) \\{\"seq\": (\\d+), \"key\": \"(key-\\d+)\"}");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : daemons) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path config(String from) throws IOException {
        Path file = dir.resolve("try.yaml");
        Files.writeString(file, """
                http: { enabled: false }
                offsets: { commit-interval: 100ms }
                connections:
                  gen: { type: generate }
                  out: { type: stdout }
                pipelines:
                  - name: orders
                    from: %s
                    to: { connection: out }
                """.formatted(from));
        return file;
    }

    /** One {@code bridge run FILE}: what it printed on stdout and stderr, and its exit code once stopped. */
    private record Run(Process process, Path out, Path err) {
        List<String> lines() {
            try {
                String text = Files.readString(out, StandardCharsets.UTF_8);
                // a line is complete once its line feed is written
                return text.lines().limit(text.chars().filter(c -> c == '\n').count()).toList();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        String log() {
            try {
                return Files.readString(err, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        void awaitLines(int atLeast) {
            try {
                Awaitility.await(atLeast + " lines on stdout").atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the daemon exited with " + process.exitValue() + ":\n" + log());
                    }
                    return lines().size() >= atLeast;
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; " + lines().size() + " lines; the daemon's log:\n" + log(), e);
            }
        }

        /** SIGTERM: the daemon drains what is in flight, commits and exits. */
        int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the daemon did not exit within " + DEADLINE + " of SIGTERM:\n" + log());
            }
            return process.exitValue();
        }
    }

    private Run run(Path config, String name) throws IOException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.msgbridge.daemon.Main", "run", config.toString())
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        daemons.add(process);
        return new Run(process, out, err);
    }

    /** The sequence numbers of the lines, checking each line's form and that its key is the one of its number. */
    private static List<Long> sequences(List<String> lines, int keys) {
        List<Long> sequences = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("line %s", line).isTrue();
            long seq = Long.parseLong(m.group(2));
            String key = "key-" + ((seq - 1) % keys + 1);
            assertThat(m.group(1)).as("the key of %s", line).isEqualTo(key);
            assertThat(m.group(3)).as("the payload's key of %s", line).isEqualTo(key);
            sequences.add(seq);
        }
        return sequences;
    }

    /** Per key, the lines follow each other without a gap from the first record after {@code after}: key-1 1, 4, 7 ... */
    private static void assertInOrderPerKey(List<Long> sequences, int keys, long after) {
        Map<Long, Long> next = new HashMap<>();
        for (long seq : sequences) {
            long key = (seq - 1) % keys;
            long expected = next.getOrDefault(key, after + 1 + Math.floorMod(key - after, keys));
            assertThat(seq).as("the next line of key-%d", key + 1).isEqualTo(expected);
            next.put(key, seq + keys);
        }
    }

    @Test
    void printsEveryGeneratedRecordOnceAsALineInOrderPerKeyThenStopsCleanly() throws Exception {
        Path config = config("{ connection: gen, count: 400, keys: 4, payload: '{\"seq\": {seq}, \"key\": \"{key}\"}' }");
        Run daemon = run(config, "run");

        daemon.awaitLines(400);
        int exit = daemon.terminate();

        assertThat(exit).as(daemon.log()).isZero();
        List<Long> sequences = sequences(daemon.lines(), 4);
        assertThat(sequences).as("every record once").hasSize(400).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 400).boxed().toList());
        assertInOrderPerKey(sequences, 4, 0);
        assertThat(daemon.log()).doesNotContain("ERROR");
    }

    @Test
    void aRestartWithResumeStoreGoesOnAfterTheLastRecordPrintedRatherThanAtOne() throws Exception {
        Path config = config("{ connection: gen, count: 600, rate: 150, keys: 3, payload: '{\"seq\": {seq}, \"key\": \"{key}\"}' }");
        Run first = run(config, "first");
        first.awaitLines(100);
        assertThat(first.terminate()).as(first.log()).isZero();
        List<Long> before = sequences(first.lines(), 3);
        long stoppedAt = before.stream().mapToLong(Long::longValue).max().orElseThrow();

        Run second = run(config, "second");
        second.awaitLines(600 - before.size());
        assertThat(second.terminate()).as(second.log()).isZero();
        List<Long> after = sequences(second.lines(), 3);

        assertThat(before).as("the first run printed 1..%d, each once", stoppedAt)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, stoppedAt).boxed().toList());
        assertThat(after).as("the second run went on at %d", stoppedAt + 1)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(stoppedAt + 1, 600).boxed().toList());
        assertInOrderPerKey(before, 3, 0);
        assertInOrderPerKey(after, 3, stoppedAt);
    }
}
