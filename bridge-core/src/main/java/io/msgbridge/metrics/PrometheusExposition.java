package io.msgbridge.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Prometheus text exposition (format 0.0.4) of a dropwizard registry, written by the Prometheus
 * library's {@link PrometheusTextFormatWriter}, with the labels of {@link PipelineLabelledExports}.
 * Thread-safe: each {@link #scrape()} reads the registry afresh.
 */
public final class PrometheusExposition {

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** Exposes {@code registry}. */
    public PrometheusExposition(MetricRegistry registry) {
        prometheus.register(new PipelineLabelledExports(registry));
    }

    /** The HTTP content type of {@link #scrape()}: {@code text/plain; version=0.0.4; charset=utf-8}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** The current values in the Prometheus text format, UTF-8. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, prometheus.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
