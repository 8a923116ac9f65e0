package io.msgbridge.config;

/**
 * How a pipeline computes a record's key, which picks its lane and orders it against records of the
 * same key. Written in YAML as {@code native}, {@code header:NAME}, {@code json:/pointer},
 * {@code subject} (or {@code topic}) and {@code none}.
 */
public sealed interface KeySpec {
    /** The backend's own key ({@code Message.key()}); records without one share the empty key. */
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
}
