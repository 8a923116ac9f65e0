package io.msgbridge.metrics;

import com.codahale.metrics.MetricRegistry;
import io.msgbridge.spi.Stage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DropwizardPipelineMetricsTest {

    private final MetricRegistry registry = new MetricRegistry();
    private final PrometheusExposition exposition = new PrometheusExposition(registry);

    private PrometheusSamples scrape() {
        return PrometheusSamples.parse(new String(exposition.scrape(), StandardCharsets.UTF_8));
    }

    @Test
    void countsRecordsInOutAndBytesPerPipelineUnderThePipelineLabel() {
        PipelineMetrics orders = new DropwizardPipelineMetrics(registry, "orders");
        PipelineMetrics knowledge = new DropwizardPipelineMetrics(registry, "knowledge");

        orders.recordsIn(3, 300);
        orders.recordsIn(2, 50);
        orders.recordDelivered(Duration.ofMillis(5).toNanos());
        knowledge.recordsIn(7, 700);

        PrometheusSamples samples = scrape();
        assertThat(samples.value("bridge_records_in_total", "pipeline", "orders")).isEqualTo(5);
        assertThat(samples.value("bridge_bytes_in_total", "pipeline", "orders")).isEqualTo(350);
        assertThat(samples.value("bridge_records_out_total", "pipeline", "orders")).isEqualTo(1);
        assertThat(samples.value("bridge_records_in_total", "pipeline", "knowledge")).isEqualTo(7);
        assertThat(samples.value("bridge_records_out_total", "pipeline", "knowledge")).isZero();
    }

    @Test
    void countsFailuresByStageAndRetriability() {
        PipelineMetrics metrics = new DropwizardPipelineMetrics(registry, "orders");

        metrics.recordFailed(Stage.SINK, true);
        metrics.recordFailed(Stage.SINK, true);
        metrics.recordFailed(Stage.SINK, false);
        metrics.recordFailed(Stage.KEY, false);
        metrics.recordDeadLettered();

        PrometheusSamples samples = scrape();
        String failed = "bridge_records_failed_total";
        assertThat(samples.value(failed, "pipeline", "orders", "stage", "sink", "retriable", "true")).isEqualTo(2);
        assertThat(samples.value(failed, "pipeline", "orders", "stage", "sink", "retriable", "false")).isEqualTo(1);
        assertThat(samples.value(failed, "pipeline", "orders", "stage", "key", "retriable", "false")).isEqualTo(1);
        assertThat(samples.value(failed, "pipeline", "orders", "stage", "source", "retriable", "true")).isZero();
        assertThat(samples.value("bridge_records_dead_lettered_total", "pipeline", "orders")).isEqualTo(1);
    }

    @Test
    void countsDuplicatesTheSinksBrokerDroppedFromZero() {
        PipelineMetrics metrics = new DropwizardPipelineMetrics(registry, "orders");
        assertThat(scrape().value("bridge_sink_duplicates_dropped_total", "pipeline", "orders")).isZero();

        metrics.duplicatesDropped(3);
        metrics.duplicatesDropped(1);

        assertThat(scrape().value("bridge_sink_duplicates_dropped_total", "pipeline", "orders")).isEqualTo(4);
    }

    @Test
    void countsCommitsAndTimesTheSuccessfulOnesInSeconds() {
        PipelineMetrics metrics = new DropwizardPipelineMetrics(registry, "orders");

        metrics.committed(Duration.ofMillis(20));
        metrics.committed(Duration.ofMillis(20));
        metrics.commitFailed();

        PrometheusSamples samples = scrape();
        assertThat(samples.value("bridge_commits_total", "pipeline", "orders")).isEqualTo(2);
        assertThat(samples.value("bridge_commit_failures_total", "pipeline", "orders")).isEqualTo(1);
        assertThat(samples.value("bridge_commit_latency_seconds_count", "pipeline", "orders")).isEqualTo(2);
        assertThat(samples.value("bridge_commit_latency_seconds", "pipeline", "orders", "quantile", "0.5"))
                .isEqualTo(0.02);
    }

    @Test
    void timesEndToEndLatencyOfDeliveredRecords() {
        PipelineMetrics metrics = new DropwizardPipelineMetrics(registry, "orders");

        metrics.recordDelivered(Duration.ofSeconds(3).toNanos());

        PrometheusSamples samples = scrape();
        assertThat(samples.value("bridge_end_to_end_latency_seconds_count", "pipeline", "orders")).isEqualTo(1);
        assertThat(samples.value("bridge_end_to_end_latency_seconds", "pipeline", "orders", "quantile", "0.99"))
                .as("counted in buckets, so within 3%").isCloseTo(3.0, within(0.09));
    }

    @Test
    void gaugesReadTheBoundSuppliersAndLagIsMinusOneUntilBound() {
        PipelineMetrics metrics = new DropwizardPipelineMetrics(registry, "orders");

        PrometheusSamples before = scrape();
        assertThat(before.value("bridge_in_flight_records", "pipeline", "orders")).isZero();
        assertThat(before.value("bridge_source_lag", "pipeline", "orders")).isEqualTo(-1);

        metrics.bindGauges(() -> 12, () -> 4096, () -> 99);

        PrometheusSamples after = scrape();
        assertThat(after.value("bridge_in_flight_records", "pipeline", "orders")).isEqualTo(12);
        assertThat(after.value("bridge_in_flight_bytes", "pipeline", "orders")).isEqualTo(4096);
        assertThat(after.value("bridge_source_lag", "pipeline", "orders")).isEqualTo(99);
    }

    @Test
    void readinessIsZeroUntilBoundThenFollowsThePipeline() {
        PipelineMetrics metrics = new DropwizardPipelineMetrics(registry, "orders");
        assertThat(scrape().value("bridge_ready", "pipeline", "orders")).isZero();

        AtomicLong ready = new AtomicLong(1);
        metrics.bindReady(ready::get);
        assertThat(scrape().value("bridge_ready", "pipeline", "orders")).isEqualTo(1);

        ready.set(0);
        assertThat(scrape().value("bridge_ready", "pipeline", "orders")).isZero();
    }

    @Test
    void aGaugeWhoseSupplierFailsIsLeftOutWithoutBreakingTheScrape() {
        PipelineMetrics metrics = new DropwizardPipelineMetrics(registry, "orders");
        metrics.recordsIn(1, 1);
        metrics.bindGauges(() -> 1, () -> 2, () -> {
            throw new IllegalStateException("broker gone");
        });

        PrometheusSamples samples = scrape();
        assertThat(samples.value("bridge_records_in_total", "pipeline", "orders")).isEqualTo(1);
        assertThat(samples.hasSeries("bridge_source_lag", "pipeline", "orders")).isFalse();
    }

    @Test
    void closingRemovesOnlyThatPipelinesSeries() {
        DropwizardPipelineMetrics orders = new DropwizardPipelineMetrics(registry, "orders");
        new DropwizardPipelineMetrics(registry, "knowledge").recordsIn(1, 1);
        orders.recordsIn(1, 1);

        orders.close();

        PrometheusSamples samples = scrape();
        assertThat(samples.hasSeries("bridge_records_in_total", "pipeline", "orders")).isFalse();
        assertThat(samples.value("bridge_records_in_total", "pipeline", "knowledge")).isEqualTo(1);
        assertThat(registry.getNames()).noneMatch(name -> name.contains(".orders"));
    }

    @Test
    void aRestartedPipelineContinuesItsCounters() {
        new DropwizardPipelineMetrics(registry, "orders").recordsIn(4, 0);

        new DropwizardPipelineMetrics(registry, "orders").recordsIn(1, 0);

        assertThat(scrape().value("bridge_records_in_total", "pipeline", "orders")).isEqualTo(5);
    }

    @Test
    void exportsTheCatalogueHelpTextAndOneTypeLinePerFamily() {
        new DropwizardPipelineMetrics(registry, "orders");
        new DropwizardPipelineMetrics(registry, "knowledge");

        String text = new String(exposition.scrape(), StandardCharsets.UTF_8);

        assertThat(text).contains("# HELP bridge_records_in_total " + MetricNames.RECORDS_IN.help());
        assertThat(text.lines().filter(l -> l.equals("# TYPE bridge_records_in_total counter"))).hasSize(1);
        assertThat(text).contains("# TYPE bridge_commit_latency_seconds summary");
        assertThat(text).contains("# TYPE bridge_source_lag gauge");
    }

    @Test
    void everyCatalogueMetricIsExportedForAPipeline() {
        new DropwizardPipelineMetrics(registry, "orders");

        String text = new String(exposition.scrape(), StandardCharsets.UTF_8);

        assertThat(Arrays.stream(MetricNames.values()).map(MetricNames::exposedName))
                .allSatisfy(name -> assertThat(text).contains("\n" + name + "{"));
    }

    @Test
    void metricsOfOtherLibrariesInTheRegistryPassThrough() {
        new DropwizardPipelineMetrics(registry, "orders");
        registry.counter("hikari.pool.connections.acquired").inc(3);

        assertThat(scrape().value("hikari_pool_connections_acquired_total")).isEqualTo(3);
    }

    @Test
    void refusesAPipelineNameThatCannotBeALabelSegment() {
        assertThatThrownBy(() -> new DropwizardPipelineMetrics(registry, "orders.eu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"orders.eu\"")
                .hasMessageContaining("contain no '.'");
    }
}
