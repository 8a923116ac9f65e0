package io.msgbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the test harnesses that run a broker as a child process (Kafka, Pulsar, RocketMQ) share: killing
 * it at the end, reading the end of its log for a failure's message, deleting its data.
 */
public final class BrokerProcesses {
    private BrokerProcesses() {
    }

    /** SIGKILL to {@code process} and every process it started; waits up to 10 s for it. Null is nothing to kill. */
    public static void kill(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of {@code log}, or why it cannot be read. */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    /** Deletes {@code root} and everything below it, as far as it can: a temporary directory left behind is harmless. */
    public static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // what is left stays in the temporary directory
        }
    }
}
