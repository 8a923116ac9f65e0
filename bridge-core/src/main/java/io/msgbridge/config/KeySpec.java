package io.msgbridge.config;

/**
 * How a pipeline computes a record's key, which picks its lane and orders it against records of the
 * same key. Written in YAML as {@code native}, {@code header:NAME}, {@code json:/pointer},
 * {@code subject} (or {@code topic}) and {@code none}.
 */
public sealed interface KeySpec {
    /** The backend's own key ({@code Message.key()}); records without one are ordered by their source partition. */
    record Native() implements KeySpec {
    }

    /** The first value of a header; a record without that header has no key (fails with KEY stage). */
    record Header(String name) implements KeySpec {
    }

    /** A JSON pointer into the payload; a payload that is not JSON or lacks the field fails (KEY stage). */
    record JsonPointer(String pointer) implements KeySpec {
    }

    /** The topic or subject the record came from. */
    record Topic() implements KeySpec {
    }

    /** No key: records are unordered and spread over all lanes. */
    record None() implements KeySpec {
    }

    /** The key as a pipelines file writes it ({@code json:/id}, {@code native}, ...). */
    default String text() {
        return switch (this) {
            case Native n -> "native";
            case Header h -> "header:" + h.name();
            case JsonPointer p -> "json:" + p.pointer();
            case Topic t -> "topic";
            case None n -> "none";
        };
    }
}
