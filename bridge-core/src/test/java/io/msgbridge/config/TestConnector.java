package io.msgbridge.config;

import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Secret;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Source;

import java.util.List;
import java.util.Optional;

/**
 * A backend for config tests, type {@code test}. A connection has {@code url} (required, must start
 * with {@code test://}), {@code token} (a secret) and {@code servers} (a list); a {@code from:} section
 * has {@code subject} (required) and {@code batch} (1..100, default 10); a {@code to:} section has
 * {@code subject} (required).
 */
final class TestConnector implements Connector {

    @Override
    public String type() {
        return "test";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        String url = node.requiredString("url");
        if (!url.isEmpty() && !url.startsWith("test://")) {
            node.problem("url", "must start with test://");
        }
        return new Connection(name, url, node.secret("token"), node.strings("servers"));
    }

    record Connection(String name, String url, Optional<Secret> token, List<String> servers)
            implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            return new TestSource(name, from.requiredString("subject"), from.integer("batch", 10, 1, 100));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            return new TestSink(name, to.requiredString("subject"));
        }
    }

    record TestSource(String connection, String subject, int batch) implements SourceSpec {
        @Override
        public Source create() {
            throw new UnsupportedOperationException("config tests never create sources");
        }

        @Override
        public String describe() {
            return "test:" + subject;
        }
    }

    record TestSink(String connection, String subject) implements SinkSpec {
        @Override
        public Sink create() {
            throw new UnsupportedOperationException("config tests never create sinks");
        }

        @Override
        public String describe() {
            return "test:" + subject;
        }
    }
}
