package io.msgbridge.offsets;

/**
 * This daemon's ownership of one pipeline in a store. Commits are made under a claim; a claim that
 * another daemon has since taken over (higher epoch) is refused at commit.
 *
 * @param pipeline the pipeline
 * @param owner    who holds it, {@code host:pid}
 * @param epoch    the fencing epoch, growing with each takeover
 */
public record Claim(String pipeline, String owner, long epoch) {
}
