package io.msgbridge.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Exports a dropwizard registry to Prometheus with the {@code pipeline} label (and the other labels of
 * {@link MetricNames}) restored from the dotted dropwizard names.
 *
 * <p>The conversion is the library's {@link DropwizardExports} with a {@link CustomLabelMapper}. That
 * class alone cannot export two pipelines: each dropwizard metric becomes its own metric family, and two
 * families named {@code bridge_records_in} fail the scrape with "duplicate metric name"
 * (prometheus/client_java#1712, still so in 1.4.3). So this collector runs one {@link DropwizardExports}
 * per set of label values (each sees at most one series per family), then joins the families of the same
 * name into one family with one data point per series, and puts the catalogue's help text on them.
 * Metrics that are not in the catalogue (other libraries' in the same registry) pass through unchanged.
 */
public final class PipelineLabelledExports implements MultiCollector {

    private final MetricRegistry registry;
    private final CustomLabelMapper mapper;

    /** Exports {@code registry}; reads it afresh at each scrape. */
    public PipelineLabelledExports(MetricRegistry registry) {
        this.registry = registry;
        List<MapperConfig> configs = Arrays.stream(MetricNames.values()).map(MetricNames::mapperConfig).toList();
        this.mapper = new CustomLabelMapper(configs);
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, List<MetricSnapshot>> families = new LinkedHashMap<>();
        for (Set<String> group : groups()) {
            MetricFilter inGroup = (name, metric) -> group.contains(name);
            for (MetricSnapshot snapshot : new DropwizardExports(registry, inGroup, mapper).collect()) {
                families.computeIfAbsent(snapshot.getMetadata().getPrometheusName(), n -> new ArrayList<>())
                        .add(snapshot);
            }
        }
        MetricSnapshots.Builder result = MetricSnapshots.builder();
        families.values().forEach(parts -> result.metricSnapshot(join(parts)));
        return result.build();
    }

    /**
     * The registry's names split so that no group holds two series of one family: catalogue series are
     * grouped by their label values ({@code orders}, {@code orders.sink.true}, ...), sorted; the metrics of
     * other libraries form one group of their own.
     */
    private Collection<Set<String>> groups() {
        Map<String, Set<String>> groups = new TreeMap<>();
        for (String name : registry.getNames()) {
            String labelValues = MetricNames.pipelineOf(name).isPresent() ? name.substring(name.indexOf('.') + 1) : "";
            groups.computeIfAbsent(labelValues, k -> new HashSet<>()).add(name);
        }
        return groups.values();
    }

    private static MetricSnapshot join(List<MetricSnapshot> parts) {
        MetricSnapshot first = parts.getFirst();
        MetricMetadata metadata = MetricNames.byBaseName(first.getMetadata().getPrometheusName())
                .map(m -> new MetricMetadata(m.baseName(), m.help()))
                .orElse(first.getMetadata());
        if (parts.size() == 1 && metadata == first.getMetadata()) {
            return first;
        }
        if (first instanceof CounterSnapshot) {
            return new CounterSnapshot(metadata, dataPoints(parts, CounterSnapshot.class, CounterSnapshot::getDataPoints));
        }
        if (first instanceof GaugeSnapshot) {
            return new GaugeSnapshot(metadata, dataPoints(parts, GaugeSnapshot.class, GaugeSnapshot::getDataPoints));
        }
        if (first instanceof SummarySnapshot) {
            return new SummarySnapshot(metadata, dataPoints(parts, SummarySnapshot.class, SummarySnapshot::getDataPoints));
        }
        throw new IllegalStateException(metadata.getPrometheusName() + ": cannot join metric families of type "
                + first.getClass().getSimpleName());
    }

    private static <T extends MetricSnapshot, P> List<P> dataPoints(List<MetricSnapshot> parts, Class<T> type,
                                                                   Function<T, List<P>> points) {
        List<P> all = new ArrayList<>();
        for (MetricSnapshot part : parts) {
            if (!type.isInstance(part)) {
                throw new IllegalStateException(part.getMetadata().getPrometheusName() + ": one name with two types, "
                        + type.getSimpleName() + " and " + part.getClass().getSimpleName());
            }
            all.addAll(points.apply(type.cast(part)));
        }
        return all;
    }
}
