package io.msgbridge.offsets;

/**
 * This daemon's ownership of one pipeline in a store. Commits are made under a claim; a claim that
 * another daemon (or a later process of this daemon's instance) has since taken over (higher epoch) is
 * refused at commit.
 *
 * @param pipeline the pipeline
 * @param owner    who holds it: a daemon's {@link InstanceId} (by default its host name)
 * @param epoch    the fencing epoch, growing with each takeover
 */
public record Claim(String pipeline, String owner, long epoch) {
}
