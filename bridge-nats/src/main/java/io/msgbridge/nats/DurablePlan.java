package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Decides how a JetStream source sets up its durable pull consumer at start, without I/O:
 * <ul>
 *   <li>{@link SourceContext.Resume#STORE} with a stored position for the stream: the next record is
 *       stored sequence + 1. An existing durable that is exactly there (ack floor = stored sequence,
 *       nothing pending) is kept; otherwise it is deleted and created again to deliver by start
 *       sequence, since a consumer's start cannot be changed in place.</li>
 *   <li>{@link SourceContext.Resume#BROKER}, or no stored position: an existing durable keeps its
 *       own state (only ack wait and max ack pending are updated); a new one starts as
 *       {@code deliver:} says.</li>
 * </ul>
 *
 * @param config   the consumer configuration to create or update with
 * @param recreate whether an existing durable must be deleted first
 * @param reason   what was decided and why, for the start log line
 */
record DurablePlan(ConsumerConfiguration config, boolean recreate, String reason) {

    /** What the server says about an existing durable. */
    record Existing(ConsumerConfiguration config, long ackFloorStreamSequence, long numAckPending) {
    }

    static DurablePlan decide(JetStreamSourceOptions options, String durable, Existing existing, SourceContext.Resume resume,
                              Position stored, long maxAckPending) {
        if (resume == SourceContext.Resume.STORE && stored != null && stored.hasSequence()) {
            long next = stored.sequence() + 1;
            if (existing != null && existing.ackFloorStreamSequence() == stored.sequence() && existing.numAckPending() == 0
                    && sameFilters(existing.config().getFilterSubjects(), options.filterSubjects())) {
                return new DurablePlan(update(existing.config(), options, maxAckPending), false,
                        "durable " + durable + " is at the stored position " + stored + "; resuming at stream sequence " + next);
            }
            ConsumerConfiguration config = base(options, durable, maxAckPending)
                    .deliverPolicy(DeliverPolicy.ByStartSequence)
                    .startSequence(next)
                    .build();
            return new DurablePlan(config, existing != null,
                    (existing == null ? "creating durable " : "recreating durable ") + durable
                            + " at stream sequence " + next + " after the stored position " + stored);
        }
        if (existing != null) {
            if (!sameFilters(existing.config().getFilterSubjects(), options.filterSubjects())) {
                throw new PermanentException("durable " + durable + " on stream " + options.stream() + " filters "
                        + existing.config().getFilterSubjects() + " but the config says " + options.filterSubjects()
                        + "; delete the consumer or name another durable");
            }
            return new DurablePlan(update(existing.config(), options, maxAckPending), false,
                    "resuming durable " + durable + " from its own state (ack floor at stream sequence "
                            + existing.ackFloorStreamSequence() + ")");
        }
        DeliverPolicy policy = options.deliver() == JetStreamSourceOptions.DeliverFrom.NEW ? DeliverPolicy.New : DeliverPolicy.All;
        return new DurablePlan(base(options, durable, maxAckPending).deliverPolicy(policy).build(), false,
                "creating durable " + durable + " delivering " + options.deliver().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static ConsumerConfiguration.Builder base(JetStreamSourceOptions options, String durable, long maxAckPending) {
        ConsumerConfiguration.Builder builder = ConsumerConfiguration.builder()
                .durable(durable)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(options.ackWait())
                .maxAckPending(maxAckPending);
        List<String> filters = options.filterSubjects();
        if (filters.size() == 1) {
            builder.filterSubject(filters.get(0));
        } else if (filters.size() > 1) {
            builder.filterSubjects(filters);
        }
        return builder;
    }

    private static ConsumerConfiguration update(ConsumerConfiguration existing, JetStreamSourceOptions options, long maxAckPending) {
        return ConsumerConfiguration.builder(existing)
                .ackWait(options.ackWait())
                .maxAckPending(Math.max(maxAckPending, existing.getMaxAckPending()))
                .build();
    }

    private static boolean sameFilters(List<String> existing, List<String> configured) {
        List<String> a = existing == null ? List.of() : existing;
        return Objects.equals(new HashSet<>(a), new HashSet<>(configured));
    }
}
