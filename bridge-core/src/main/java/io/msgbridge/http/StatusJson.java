package io.msgbridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.msgbridge.runtime.PipelineState;
import io.msgbridge.runtime.PipelineStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The JSON bodies of {@code /pipelines} and {@code /health/ready}. Instants are ISO-8601 strings
 * ({@link Instant#toString()}), so no jsr310 module is needed. Thread-safe.
 */
final class StatusJson {

    /** One pipeline that is not ready, as {@code /health/ready} names it: why now, and the last error with its time. */
    record NotReady(String name, PipelineState state, String reason, String lastError, Instant lastErrorAt) {
    }

    /** The {@code /health/ready} body: {@code status} is {@code ready} or {@code not ready}. */
    record Readiness(String status, List<NotReady> notReady) {
        static Readiness of(List<PipelineStatus> pipelines) {
            List<NotReady> notReady = pipelines.stream()
                    .filter(p -> !p.ready())
                    .map(p -> new NotReady(p.name(), p.state(), p.reason(), p.lastError(), p.lastErrorAt()))
                    .toList();
            return new Readiness(notReady.isEmpty() ? "ready" : "not ready", notReady);
        }

        boolean ready() {
            return notReady.isEmpty();
        }
    }

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new SimpleModule("iso-instants").addSerializer(Instant.class, ToStringSerializer.instance));

    byte[] write(Object value) {
        try {
            return mapper.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
