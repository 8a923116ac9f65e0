package io.msgbridge.offsets;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name a daemon claims its pipelines under in the offset store; by default the host's name. It
 * outlives the process: a daemon restarted after a crash has the same instance id, and a claim still
 * held by its own instance id is taken over at once, with a new fencing epoch, rather than after the
 * lease expires (the earlier process is gone, or, if it still runs, its commits are refused from then
 * on). Two daemons that run the same pipelines against one store need different instance ids: with
 * the same one, each start of a pipeline takes it from the other.
 *
 * @param value printable ASCII without spaces, 1 to 253 characters (a host name fits)
 */
public record InstanceId(String value) {
    /** The rule a given instance id must follow, as errors say it. */
    public static final String RULE = "must be 1 to 253 printable ASCII characters without spaces (a host name fits)";
    private static final Pattern VALID = Pattern.compile("\\p{Graph}{1,253}");

    public InstanceId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("instance id \"" + value + "\" is not valid: " + RULE);
        }
    }

    /** The instance id when none is given: the host's name. */
    public static InstanceId ofHost() {
        return new InstanceId(LocalOwner.hostName());
    }

    /** Checks a given instance id; the rule it breaks, else empty. */
    public static Optional<String> problem(String value) {
        return value != null && VALID.matcher(value).matches() ? Optional.empty() : Optional.of(RULE);
    }

    @Override
    public String toString() {
        return value;
    }
}
