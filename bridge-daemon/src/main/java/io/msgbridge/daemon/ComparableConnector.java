package io.msgbridge.daemon;

import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkTraits;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceTraits;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A connector whose specs compare by value, so that a reload can tell a changed pipeline from an
 * unchanged one. A backend's specs need not compare by value (they hold factories, and read-backs that
 * are anonymous classes), so this wraps its connector: a spec's value is the connection's type and
 * name and every value the backend read from the connection section and from the pipeline's section
 * ({@link RecordingNode}). Everything else is the backend's own: its specs make the sources and sinks.
 */
final class ComparableConnector implements Connector {
    private final Connector connector;

    ComparableConnector(Connector connector) {
        this.connector = connector;
    }

    /** Each of {@code connectors}, wrapped. */
    static List<Connector> wrap(List<Connector> connectors) {
        return connectors.stream().<Connector>map(ComparableConnector::new).toList();
    }

    @Override
    public String type() {
        return connector.type();
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        RecordingNode recorded = new RecordingNode(node);
        ConnectionSpec spec = connector.connection(name, recorded);
        return spec == null ? null : new Connection(spec, connector.type(), name, recorded.reads());
    }

    /** What a spec is made of: its connection and the values read from its section. */
    private record Value(String type, String connection, List<RecordingNode.Read> connectionReads,
                         List<RecordingNode.Read> sectionReads) {
    }

    private record Connection(ConnectionSpec spec, String type, String name, List<RecordingNode.Read> reads)
            implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            RecordingNode recorded = new RecordingNode(from);
            SourceSpec source = spec.source(recorded);
            return source == null ? null : new ComparableSource(source, new Value(type, name, reads, recorded.reads()));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            RecordingNode recorded = new RecordingNode(to);
            SinkSpec sink = spec.sink(recorded);
            return sink == null ? null : new ComparableSink(sink, new Value(type, name, reads, recorded.reads()));
        }
    }

    private static final class ComparableSource implements SourceSpec {
        private final SourceSpec spec;
        private final Value value;

        ComparableSource(SourceSpec spec, Value value) {
            this.spec = spec;
            this.value = value;
        }

        @Override
        public Source create() {
            return spec.create();
        }

        @Override
        public String describe() {
            return spec.describe();
        }

        @Override
        public Position position(String partition, String offset) {
            return spec.position(partition, offset);
        }

        @Override
        public boolean sharesPartitions() {
            return spec.sharesPartitions();
        }

        @Override
        public SourceTraits traits() {
            return spec.traits();
        }

        @Override
        public Optional<SourceSpec> reader() {
            return spec.reader();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ComparableSource other && value.equals(other.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ComparableSource.class, value);
        }

        @Override
        public String toString() {
            return spec.describe();
        }
    }

    private static final class ComparableSink implements SinkSpec {
        private final SinkSpec spec;
        private final Value value;

        ComparableSink(SinkSpec spec, Value value) {
            this.spec = spec;
            this.value = value;
        }

        @Override
        public Sink create() {
            return spec.create();
        }

        @Override
        public String describe() {
            return spec.describe();
        }

        @Override
        public Optional<SourceSpec> reader() {
            return spec.reader();
        }

        @Override
        public SinkTraits traits() {
            return spec.traits();
        }

        @Override
        public Optional<Source> tap(TapFrom from) {
            return spec.tap(from);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ComparableSink other && value.equals(other.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ComparableSink.class, value);
        }

        @Override
        public String toString() {
            return spec.describe();
        }
    }
}
