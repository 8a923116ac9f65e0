package io.msgbridge.daemon;

import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ConfigNode} that hands every call to the loader's node and remembers, in order, what each
 * read returned: the values a connector read, after substitution and defaults, which is what it
 * builds its spec from. Two sections whose reads are equal make the same spec, wherever they stand in
 * the file. A file named by a value ({@link #file}) is remembered with a digest of its contents, so a
 * rotated certificate or key counts as a change. Secrets are kept as {@link Secret}s, which compare by
 * value and never print.
 */
final class RecordingNode implements ConfigNode {
    /** One read: the getter, the key and what it returned. */
    record Read(String getter, String key, Object value) {
    }

    private final ConfigNode node;
    private final List<Read> reads = new ArrayList<>();

    RecordingNode(ConfigNode node) {
        this.node = node;
    }

    /** The reads so far, in order; nested mappings' reads are inside, as they were read. */
    List<Read> reads() {
        return reads;
    }

    private <T> T read(String getter, String key, T value) {
        reads.add(new Read(getter, key, value));
        return value;
    }

    @Override
    public String path() {
        return node.path();
    }

    @Override
    public boolean has(String key) {
        return read("has", key, node.has(key));
    }

    @Override
    public Optional<String> string(String key) {
        return read("string", key, node.string(key));
    }

    @Override
    public String string(String key, String def) {
        return read("string", key, node.string(key, def));
    }

    @Override
    public String requiredString(String key) {
        return read("string", key, node.requiredString(key));
    }

    @Override
    public String oneOf(String key, Set<String> allowed, String def) {
        return read("oneOf", key, node.oneOf(key, allowed, def));
    }

    @Override
    public <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
        return read("choice", key, node.choice(key, type, def));
    }

    @Override
    public int integer(String key, int def, int min, int max) {
        return read("integer", key, node.integer(key, def, min, max));
    }

    @Override
    public boolean bool(String key, boolean def) {
        return read("bool", key, node.bool(key, def));
    }

    @Override
    public Duration duration(String key, Duration def, Duration min) {
        return read("duration", key, node.duration(key, def, min));
    }

    @Override
    public long size(String key, long def, long min) {
        return read("size", key, node.size(key, def, min));
    }

    @Override
    public List<String> strings(String key) {
        return read("strings", key, node.strings(key));
    }

    @Override
    public Optional<Secret> secret(String key) {
        return read("secret", key, node.secret(key));
    }

    @Override
    public Optional<Path> file(String key) {
        Optional<Path> file = node.file(key);
        read("file", key, file.map(path -> path + " " + digest(path)));
        return file;
    }

    @Override
    public Optional<ConfigNode> child(String key) {
        Optional<RecordingNode> child = node.child(key).map(RecordingNode::new);
        read("child", key, child.map(RecordingNode::reads));
        return child.map(ConfigNode.class::cast);
    }

    @Override
    public List<ConfigNode> children(String key) {
        List<RecordingNode> children = node.children(key).stream().map(RecordingNode::new).toList();
        read("children", key, children.stream().map(RecordingNode::reads).toList());
        return List.copyOf(children);
    }

    @Override
    public Set<String> keys() {
        return read("keys", "", node.keys());
    }

    @Override
    public void problem(String key, String message) {
        node.problem(key, message);
    }

    @Override
    public void problem(String message) {
        node.problem(message);
    }

    private static String digest(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
