package io.msgbridge.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.config.Problem;
import io.msgbridge.spi.Connector;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code --to CONNECTION:TOPIC} into a sink spec the same way a pipeline's {@code to:} is read:
 * FILE with one pipeline whose {@code to:} is {@code {connection: CONNECTION, subject|topic: TOPIC}}
 * ({@code subject} for NATS connections, {@code topic} for the others) is checked by the config loader,
 * so the target gets every check and default a configured sink gets.
 */
final class ReplayTarget {
    private static final YAMLMapper YAML = new YAMLMapper();

    private ReplayTarget() {
    }

    static Optional<Connector.SinkSpec> resolve(Path file, PipelineConfig pipeline, String to, PrintWriter err) {
        int colon = to.indexOf(':');
        if (colon <= 0 || colon == to.length() - 1) {
            err.println("--to: invalid value \"" + to + "\": must be CONNECTION:TOPIC, e.g. local:orders.replayed");
            return Optional.empty();
        }
        String connection = to.substring(0, colon);
        String topic = to.substring(colon + 1);
        Path synthetic = null;
        try {
            JsonNode root = YAML.readTree(file.toFile());
            JsonNode type = root.path("connections").path(connection).path("type");
            if (type.isMissingNode()) {
                err.println("--to: unknown connection \"" + connection + "\" in " + file);
                return Optional.empty();
            }
            ObjectNode copy = pipelineNode(root, pipeline.name()).deepCopy();
            copy.remove("dead-letter");
            copy.putObject("to").put("connection", connection).put("nats".equals(type.asText()) ? "subject" : "topic", topic);
            ObjectNode document = ((ObjectNode) root).deepCopy();
            ArrayNode pipelines = document.putArray("pipelines");
            pipelines.add(copy);
            Path dir = file.toAbsolutePath().getParent();
            synthetic = Files.createTempFile(dir, ".bridge-replay-to-", ".yaml");
            YAML.writeValue(synthetic.toFile(), document);
            ConfigLoader.Result result = ConfigLoader.load(synthetic);
            for (Problem problem : result.problems()) {
                err.println("--to: " + problem);
            }
            return result.config().map(c -> c.pipelines().getFirst().sink());
        } catch (IOException e) {
            err.println("--to: cannot read " + file + ": " + e.getMessage());
            return Optional.empty();
        } finally {
            if (synthetic != null) {
                try {
                    Files.deleteIfExists(synthetic);
                } catch (IOException e) {
                    err.println("could not delete " + synthetic + ": " + e.getMessage());
                }
            }
        }
    }

    private static JsonNode pipelineNode(JsonNode root, String name) {
        for (JsonNode p : root.path("pipelines")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        throw new IllegalStateException("pipeline " + name + " is in the loaded config but not in the file");
    }
}
