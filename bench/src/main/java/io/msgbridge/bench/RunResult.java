package io.msgbridge.bench;

import java.util.Map;

/**
 * What one run (one process launch of one variant) measured. Throughput counts distinct records
 * received by the end consumer between its first and last receipt; CPU and memory come from
 * {@code /proc} of the variant's process over the same window.
 *
 * @param scenario             the scenario's name
 * @param variant              baseline or bridge
 * @param round                1-based round
 * @param records              distinct records the end consumer received
 * @param duplicates           records received more than once
 * @param keysAtSink           distinct keys the records carried at the sink ({@link Receipts#distinctKeys()})
 * @param lost                 records published but never received (core NATS drops when full)
 * @param seconds              end of the warm-up to the last receipt
 * @param recordsPerSecond     records / seconds
 * @param megabytesPerSecond   payload bytes / seconds / 10^6
 * @param latency              end-to-end latency, null where records were preloaded (it would be queueing time)
 * @param brokerHop            latency of the same records from the producer to a plain subscriber on the
 *                             source (the broker's own hop, no variant: {@link SourceEndpoint#observe}),
 *                             measured in fixed-rate runs alongside; null otherwise
 * @param peakRssMiB           the process's VmHWM at the end of the run
 * @param rssStartMiB          VmRSS at the first receipt
 * @param rssMiddleMiB         VmRSS at half the records
 * @param rssEndMiB            VmRSS at the last receipt
 * @param cpuSecondsPerMillion CPU seconds (user + system) of the process per million records
 * @param jitSecondsPerMillion of those, the JIT compiler threads' (a daemon's one-time cost that the warm-up
 *                             did not absorb; see {@link Bench#WARM_UP})
 * @param machineCpuSecondsPerMillion CPU seconds of the whole machine (every process: brokers, the bench's
 *                             producer and end consumer, the variant) per million records ({@link MachineCpu})
 * @param machineIdleShare     the share of the cores' time the machine was idle over the same window
 * @param machineCpuByGroup    of that, per group of processes (variant, bench, nats-server, pulsar, postgres, other:
 *                             {@link MachineCpu#byGroupSince}), CPU seconds per million records
 * @param commitsPerSecond     the daemon's bridge_commits_total per second; null for the baseline
 * @param pgXactPerSecond      pg_stat_database.xact_commit of the offsets database per second (every client of it)
 */
record RunResult(String scenario, Scenario.Variant variant, int round, long records, long duplicates, int keysAtSink, long lost,
                 double seconds, double recordsPerSecond, double megabytesPerSecond, Receipts.Latency latency, Receipts.Latency brokerHop,
                 double peakRssMiB, double rssStartMiB, double rssMiddleMiB, double rssEndMiB,
                 double cpuSecondsPerMillion, double jitSecondsPerMillion,
                 double machineCpuSecondsPerMillion, double machineIdleShare,
                 Map<String, Double> machineCpuByGroup, Double commitsPerSecond, double pgXactPerSecond) {
}
