package io.msgbridge.config;

import io.msgbridge.spi.Connector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reads the top level of a config file into a {@link BridgeConfig}; problems go to the nodes. */
final class BridgeConfigReader {
    static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final String LISTEN_RULE = "must be HOST:PORT with PORT in 0..65535, such as 127.0.0.1:8083";

    private final LoadContext context;
    private final Collection<Connector> connectors;

    BridgeConfigReader(LoadContext context, Collection<Connector> connectors) {
        this.context = context;
        this.connectors = connectors;
    }

    private record HostPort(String host, int port) {
    }

    BridgeConfig read(MappingNode root, Path file) {
        OffsetsConfig offsets = new OffsetsReader(context.baseDir()).read(root.mapping("offsets"));
        HttpConfig http = root.mapping("http").map(BridgeConfigReader::http).orElse(HttpConfig.DEFAULT);
        Duration shutdownTimeout = root.duration("shutdown-timeout", DEFAULT_SHUTDOWN_TIMEOUT, Duration.ZERO);
        MemoryConfig memory = root.value("memory", MemoryConfig::parse).orElse(MemoryConfig.DEFAULT);
        Connections connections = new Connections(connectors, context.problems());
        connections.read(root.mapping("connections"));
        return new BridgeConfig(file, offsets, http, shutdownTimeout, memory,
                pipelines(root, connections, offsets, shutdownTimeout));
    }

    private List<PipelineConfig> pipelines(MappingNode root, Connections connections, OffsetsConfig offsets,
                                           Duration shutdownTimeout) {
        int before = context.problems().count();
        List<MappingNode> nodes = root.mappings("pipelines");
        if (nodes.isEmpty() && context.problems().count() == before) {
            root.problem("pipelines", "at least one pipeline is required");
        }
        PipelineReader reader = new PipelineReader(connections, offsets, context.problems(), shutdownTimeout);
        List<PipelineConfig> pipelines = new ArrayList<>();
        nodes.forEach(node -> pipelines.add(reader.read(node)));
        return pipelines;
    }

    private static HttpConfig http(MappingNode http) {
        HttpConfig def = HttpConfig.DEFAULT;
        HostPort listen = http.value("listen", BridgeConfigReader::hostPort)
                .orElse(new HostPort(def.host(), def.port()));
        return new HttpConfig(http.bool("enabled", def.enabled()), listen.host(), listen.port(), http.secret("admin-token"));
    }

    private static Parsed<HostPort> hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return Parsed.invalid(LISTEN_RULE);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return Parsed.invalid(LISTEN_RULE + " (an IPv6 HOST goes in brackets: [::1]:8083)");
        }
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            return Parsed.invalid(LISTEN_RULE);
        }
        return Conversions.integer(text.substring(colon + 1), 0, 65535) instanceof Parsed.Ok<Integer>(Integer port)
                ? Parsed.ok(new HostPort(host, port))
                : Parsed.invalid(LISTEN_RULE);
    }
}
