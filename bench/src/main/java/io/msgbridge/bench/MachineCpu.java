package io.msgbridge.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole machine's CPU counters ({@code /proc/stat}, all cores) and each process's at one moment:
 * what every process used, the brokers and the bench's own producer and end consumer included. Over a
 * run it tells whether the cores were saturated (then throughput follows the CPU each record costs the
 * machine, not only the variant) and what a variant made the others spend.
 *
 * @param busySeconds  user, nice, system, irq and softirq time, seconds summed over cores
 * @param idleSeconds  idle and iowait time
 * @param stealSeconds time the hypervisor gave to other guests while this one wanted to run
 * @param processes    per process id, its group ({@link #group}) and CPU seconds (user + system) so far
 */
record MachineCpu(double busySeconds, double idleSeconds, double stealSeconds, Map<Long, ProcessCpu> processes) {
    private static final double CLOCK_TICKS = 100.0;

    /** One process's group and CPU seconds. */
    record ProcessCpu(String group, double seconds) {
    }

    /** A sample now; {@code variant} is the variant's process id, so its CPU is told from the other JVMs'. */
    static MachineCpu now(long variant) throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        long steal = Long.parseLong(f[8]);
        long self = ProcessHandle.current().pid();
        Map<Long, ProcessCpu> processes = new HashMap<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : all) {
                long pid = Long.parseLong(dir.getFileName().toString());
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    processes.put(pid, new ProcessCpu(group(pid, comm, dir, variant, self), cpuSeconds(stat)));
                } catch (IOException | StringIndexOutOfBoundsException ended) {
                    // the process ended between the listing and the read (NoSuchFileException, or ESRCH
                    // "No such process" from a read of a file already open)
                }
            }
        }
        return new MachineCpu(busy / CLOCK_TICKS, idle / CLOCK_TICKS, steal / CLOCK_TICKS, processes);
    }

    /**
     * The group a process's CPU is reported under: "variant", "bench" (this process), "pulsar" (a JVM
     * whose command line names Pulsar), "kafka" (a JVM running the Kafka broker's main class), "rocketmq"
     * (a JVM running RocketMQ's broker or NameServer), else its command name (nats-server, postgres, ...).
     */
    private static String group(long pid, String comm, Path dir, long variant, long self) throws IOException {
        if (pid == variant) {
            return "variant";
        }
        if (pid == self) {
            return "bench";
        }
        if (comm.equals("java")) {
            String command = new String(Files.readAllBytes(dir.resolve("cmdline")));
            return command.contains("pulsar") ? "pulsar" : command.contains("kafka.Kafka") ? "kafka"
                    : command.contains("org.apache.rocketmq.broker.BrokerStartup") || command.contains("org.apache.rocketmq.namesrv.NamesrvStartup")
                    ? "rocketmq" : "java";
        }
        return comm.startsWith("postgres") ? "postgres" : comm;
    }

    /**
     * User plus system CPU seconds in the text of a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat}
     * file (fields 14 and 15; the command name before them may hold spaces and parentheses).
     */
    static double cpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
    }

    /** Idle share of the cores' time between {@code start} and this sample, 0..1. */
    double idleShareSince(MachineCpu start) {
        double idle = idleSeconds - start.idleSeconds;
        double all = busySeconds - start.busySeconds + idle + stealSeconds - start.stealSeconds;
        return all > 0 ? idle / all : 0;
    }

    /**
     * CPU seconds per group between {@code start} and this sample, by group name; groups under 1% of
     * the machine's busy time are summed under "other" (a process started in between counts all
     * its time). The machine's busy time the processes do not account for (interrupts, processes that
     * ended) is under "other" too.
     */
    Map<String, Double> byGroupSince(MachineCpu start) {
        Map<String, Double> groups = new HashMap<>();
        processes.forEach((pid, now) -> {
            ProcessCpu before = start.processes.get(pid);
            double used = now.seconds - (before == null ? 0 : before.seconds);
            groups.merge(now.group, used, Double::sum);
        });
        double busy = busySeconds - start.busySeconds;
        Map<String, Double> out = new TreeMap<>();
        double accounted = 0;
        for (Map.Entry<String, Double> e : groups.entrySet()) {
            if (e.getValue() >= 0.01 * busy) {
                out.put(e.getKey(), e.getValue());
                accounted += e.getValue();
            }
        }
        out.put("other", Math.max(0, busy - accounted));
        return out;
    }
}
