package io.msgbridge.builtin;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Source;

/**
 * What a {@code generate} connection gives for a {@code to:} section and a {@code stdout} connection for a
 * {@code from:} section, beside the problem it reported: the file is invalid, so nothing is ever made of it.
 */
final class WrongDirection {
    static final Connector.SinkSpec SINK = new Connector.SinkSpec() {
        @Override
        public Sink create() {
            throw new IllegalStateException("a generate connection has no sink; the config loader reported it");
        }

        @Override
        public String describe() {
            return "generate (no sink)";
        }
    };

    static final Connector.SourceSpec SOURCE = new Connector.SourceSpec() {
        @Override
        public Source create() {
            throw new IllegalStateException("a stdout connection has no source; the config loader reported it");
        }

        @Override
        public String describe() {
            return "stdout (no source)";
        }
    };

    private WrongDirection() {
    }
}
