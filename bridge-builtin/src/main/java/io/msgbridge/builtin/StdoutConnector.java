package io.msgbridge.builtin;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.Optional;

/**
 * The {@code stdout} backend: a sink that writes each record as a line on the daemon's standard output
 * ({@link StdoutSink}), for trying the bridge, debugging and watching a dead-letter route. The daemon logs to
 * standard error, so the two never mix. The connection section has nothing but its type. It has no source.
 * Found with {@link java.util.ServiceLoader}.
 */
public final class StdoutConnector implements Connector {

    @Override
    public String type() {
        return "stdout";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        return new StdoutConnectionSpec(name);
    }

    /** A {@code stdout} connection, named {@code name}. */
    record StdoutConnectionSpec(String name) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            from.problem("connection", "connection \"" + name + "\" is of type stdout, which only writes records: "
                    + "read them from a connection of type generate, or of a broker");
            return WrongDirection.SOURCE;
        }

        /**
         * Writes to file descriptor 1 itself rather than {@link System#out}, whose {@code PrintStream} keeps
         * write errors to itself: a reader that went away must fail the publish.
         */
        @Override
        public SinkSpec sink(ConfigNode to) {
            return new BackendSinkSpec<>(name, BuiltinConfigReader.stdout(to),
                    (connection, options) -> new StdoutSink(options, new FileOutputStream(FileDescriptor.out)), Optional.empty());
        }
    }
}
