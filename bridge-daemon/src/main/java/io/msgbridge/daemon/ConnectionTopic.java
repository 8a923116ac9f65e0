package io.msgbridge.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.Problem;
import io.msgbridge.spi.Connector;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code CONNECTION:TOPIC} argument ({@code dlq replay --to}, {@code send}, {@code tap}) read into a sink
 * spec the same way a pipeline's {@code to:} is read: FILE with one pipeline whose {@code to:} is
 * {@code {connection: CONNECTION, subject|topic: TOPIC}} plus any extra sink keys ({@code subject} for
 * NATS connections, {@code topic} for the others) is checked by the config loader, so the target gets
 * every check and default a configured sink gets. That pipeline is a copy of a pipeline of FILE (its
 * {@code from:} is checked, not used).
 *
 * @param argument   the option or parameter it was given as, for messages ({@code --to}, {@code CONNECTION:TOPIC})
 * @param connection the connection's name in FILE
 * @param topic      the topic or subject
 */
record ConnectionTopic(String argument, String connection, String topic) {
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Reads {@code text}; prints why not and gives empty when it is not {@code CONNECTION:TOPIC}. */
    static Optional<ConnectionTopic> parse(String argument, String text, PrintWriter err) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            err.println(argument + ": invalid value \"" + text + "\": must be CONNECTION:TOPIC, e.g. local:orders.replayed");
            return Optional.empty();
        }
        return Optional.of(new ConnectionTopic(argument, text.substring(0, colon), text.substring(colon + 1)));
    }

    /**
     * The sink spec for this connection and topic, with {@code options} as further keys of its section
     * (each value is YAML: {@code core}, {@code 5s}, or {@code {name: S, subjects: [s.>]}}).
     * The synthetic pipeline copies {@code pipeline} of FILE, or its first one when empty. Prints the
     * problems and gives empty when FILE or the section is not valid.
     */
    Optional<Connector.SinkSpec> sink(Path file, Optional<String> pipeline, Map<String, String> options, PrintWriter err) {
        Path synthetic = null;
        try {
            JsonNode root = YAML.readTree(file.toFile());
            JsonNode type = root.path("connections").path(connection).path("type");
            if (type.isMissingNode()) {
                List<String> defined = new ArrayList<>();
                root.path("connections").fieldNames().forEachRemaining(defined::add);
                err.println(argument + ": unknown connection \"" + connection + "\" in " + file + "; defined: "
                        + String.join(", ", defined));
                return Optional.empty();
            }
            Optional<JsonNode> template = pipelineNode(root, pipeline);
            if (template.isEmpty()) {
                err.println(file + ": has no pipeline" + pipeline.map(p -> " named " + p).orElse("")
                        + "; " + argument + " is checked as a pipeline's to: section, so the file needs one");
                return Optional.empty();
            }
            ObjectNode copy = template.get().deepCopy();
            copy.remove("dead-letter");
            ObjectNode to = copy.putObject("to").put("connection", connection)
                    .put("nats".equals(type.asText()) ? "subject" : "topic", topic);
            for (Map.Entry<String, String> option : options.entrySet()) {
                JsonNode value = YAML.readTree(option.getValue());
                to.set(option.getKey(), value == null || value.isMissingNode() ? TextNode.valueOf(option.getValue()) : value);
            }
            ObjectNode document = ((ObjectNode) root).deepCopy();
            ArrayNode pipelines = document.putArray("pipelines");
            pipelines.add(copy);
            Path dir = file.toAbsolutePath().getParent();
            synthetic = Files.createTempFile(dir, ".bridge-target-", ".yaml");
            YAML.writeValue(synthetic.toFile(), document);
            ConfigLoader.Result result = ConfigLoader.load(synthetic);
            for (Problem problem : result.problems()) {
                // the synthetic file's lines are not FILE's: name the field only
                err.println(argument + ": " + problem.path().replaceFirst("^pipelines\\[0]\\.", "") + ": " + problem.message());
            }
            return result.config().map(c -> c.pipelines().getFirst().sink());
        } catch (IOException e) {
            err.println(argument + ": cannot read " + file + ": " + e.getMessage());
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

    private static Optional<JsonNode> pipelineNode(JsonNode root, Optional<String> name) {
        for (JsonNode p : root.path("pipelines")) {
            if (name.isEmpty() || name.get().equals(p.path("name").asText())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return connection + ":" + topic;
    }
}
