package io.msgbridge.spi;

/**
 * What a sink is told when it starts.
 *
 * @param pipeline the pipeline's name (for logs and stable producer names)
 * @param role     whether this sink is the pipeline's sink or its dead-letter route
 */
public record SinkContext(String pipeline, Role role) {
    public enum Role { SINK, DEAD_LETTER }
}
