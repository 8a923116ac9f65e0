package io.msgbridge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * All runs of one scenario and what they sum up to.
 *
 * @param scenario    the scenario's name
 * @param description its report line
 * @param volume      what each run sent
 * @param rate        the producer's fixed rate (records/s), null when it was paced by the end consumer or preloaded
 * @param runs        every run, in the order they ran
 */
record ScenarioResult(String scenario, String description, Volume volume, Double rate, List<RunResult> runs) {

    /** Median, minimum and maximum of one measure over rounds. */
    record Stat(double median, double min, double max) {
        static Stat of(double[] values) {
            if (values.length == 0) {
                return new Stat(Double.NaN, Double.NaN, Double.NaN);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Stat(median, sorted[0], sorted[n - 1]);
        }
    }

    /** One variant over all its rounds; latency is the median of each percentile over rounds (null if not measured). */
    record VariantSummary(Stat recordsPerSecond, Stat megabytesPerSecond, Stat latencyP50, Stat latencyP99,
                          Stat latencyP999, double peakRssMiB, Stat cpuSecondsPerMillion, Stat jitSecondsPerMillion,
                          Stat machineCpuSecondsPerMillion, Stat machineIdleShare, Stat commitsPerSecond) {
    }

    /** The bridge/baseline throughput ratio per round, and its median. */
    record Ratios(List<Double> perRound, double median) {
    }

    VariantSummary summary(Scenario.Variant variant) {
        List<RunResult> of = runs.stream().filter(r -> r.variant() == variant).toList();
        if (of.isEmpty()) {
            return null;
        }
        List<RunResult> timed = of.stream().filter(r -> r.latency() != null).toList();
        List<RunResult> committing = of.stream().filter(r -> r.commitsPerSecond() != null).toList();
        return new VariantSummary(stat(of, RunResult::recordsPerSecond), stat(of, RunResult::megabytesPerSecond),
                timed.isEmpty() ? null : stat(timed, r -> r.latency().p50()),
                timed.isEmpty() ? null : stat(timed, r -> r.latency().p99()),
                timed.isEmpty() ? null : stat(timed, r -> r.latency().p999()),
                of.stream().mapToDouble(RunResult::peakRssMiB).max().orElse(-1),
                stat(of, RunResult::cpuSecondsPerMillion), stat(of, RunResult::jitSecondsPerMillion),
                stat(of, RunResult::machineCpuSecondsPerMillion), stat(of, RunResult::machineIdleShare),
                committing.isEmpty() ? null : stat(committing, RunResult::commitsPerSecond));
    }

    Ratios ratios() {
        List<Double> perRound = new ArrayList<>();
        for (RunResult bridge : runs) {
            if (bridge.variant() != Scenario.Variant.BRIDGE) {
                continue;
            }
            runs.stream().filter(r -> r.variant() == Scenario.Variant.BASELINE && r.round() == bridge.round()).findFirst()
                    .ifPresent(base -> perRound.add(bridge.recordsPerSecond() / base.recordsPerSecond()));
        }
        return perRound.isEmpty() ? null : new Ratios(perRound, Stat.of(perRound.stream().mapToDouble(d -> d).toArray()).median());
    }

    private static Stat stat(List<RunResult> runs, ToDoubleFunction<RunResult> measure) {
        return Stat.of(runs.stream().mapToDouble(measure).toArray());
    }
}
