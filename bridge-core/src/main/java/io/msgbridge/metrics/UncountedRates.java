package io.msgbridge.metrics;

import com.codahale.metrics.MovingAverages;

/**
 * Moving averages that are never kept, for a meter whose rates nobody reads: the Prometheus export of
 * a timer has its count and quantiles, and rates come from the count ({@code rate(..._count[1m])}).
 * Dropwizard's own moving averages read the clock and update three more counters on every mark; for
 * the end-to-end latency, marked once per delivered record, they were most of the timer's cost.
 */
enum UncountedRates implements MovingAverages {
    INSTANCE;

    @Override
    public void tickIfNecessary() {
    }

    @Override
    public void update(long n) {
    }

    @Override
    public double getM1Rate() {
        return 0;
    }

    @Override
    public double getM5Rate() {
        return 0;
    }

    @Override
    public double getM15Rate() {
        return 0;
    }
}
