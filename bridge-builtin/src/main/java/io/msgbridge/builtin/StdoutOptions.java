package io.msgbridge.builtin;

import io.msgbridge.backend.SectionOptions;

import java.util.Objects;

/**
 * A checked {@code to:} or {@code dead-letter:} section of a {@code stdout} connection.
 *
 * @param format how each record is written as one line
 */
record StdoutOptions(Format format) implements SectionOptions {
    /** How a record is written. */
    enum Format {
        /** {@code key=KEY [NAME=VALUE, ...] PAYLOAD}, for people. */
        TEXT,
        /** One JSON object per line, for programs. */
        JSON
    }

    StdoutOptions {
        Objects.requireNonNull(format, "format");
    }

    /** The same for every format, so that validate's lint sees a dead-letter route to stdout as writing where the sink writes. */
    @Override
    public String describe() {
        return "stdout";
    }
}
