package io.msgbridge.offsets;

/**
 * This daemon's ownership of one pipeline in a store. Commits are made under a claim; a claim that
 * another daemon (or a later process of this daemon's instance) has since taken over (higher epoch) is
 * refused at commit.
 *
 * @param pipeline the pipeline
 * @param owner    who holds it: a daemon's {@link InstanceId} (by default its host name)
 * @param epoch    the fencing epoch, growing with each takeover
 * @param shared   whether several daemons run the pipeline at once, each on the partitions its source
 *                 was given (a consumer group's members): each holds a claim of its own, and a
 *                 partition's stored position only ever moves forward
 */
public record Claim(String pipeline, String owner, long epoch, boolean shared) {
    /** A claim of the pipeline for this daemon alone. */
    public Claim(String pipeline, String owner, long epoch) {
        this(pipeline, owner, epoch, false);
    }
}
