package io.msgbridge.rocketmq;

import io.msgbridge.backend.PartitionDrain;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.common.message.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mode: group}: the members of the consumer group (daemons running the pipeline, found through
 * their heartbeats to the brokers) share the topic's queues, each queue read by one member at a time.
 *
 * <p>RocketMQ's own rebalancing has no hand-over step: each client computes its share on its own, and a
 * queue's new owner may start while the old one still has its records in flight. So, as RocketMQ's orderly
 * consumers do, a member reads a queue only while it holds the queue's lock on the broker. Each
 * {@link #rebalance} (every few seconds, on the source's own thread) computes this member's share (RocketMQ's
 * averaging strategy over the sorted members and queues), renews the locks it holds, and:
 * <ol>
 *   <li>gives up the queues no longer its share: stops handing out their records, waits for those in
 *       flight (at most {@code drain-timeout}), writes the offset after the last one done as the group's
 *       offset, then unlocks them;</li>
 *   <li>takes the queues of its share it can lock: a queue still locked by its old owner (draining, or
 *       dead and its lock not lapsed yet) is tried again on the next round; a queue locked starts at the
 *       group's offset, or after the stored position when that is further.</li>
 * </ol>
 * A lock not renewed for {@value #LOCK_VALID_SECONDS} s (brokers not answering) may have lapsed on the
 * broker (after 60 s) and been taken by another member: its queues are dropped without writing an offset.
 */
final class QueueGroup {
    private static final Logger LOG = LoggerFactory.getLogger(QueueGroup.class);
    private static final long LOCK_VALID_SECONDS = 50;

    /** Where a queue taken starts. */
    @FunctionalInterface
    interface StartOffsets {
        long of(MessageQueue queue) throws Exception;
    }

    /** What a queue given up leaves behind: the last offset done, which the source remembers for when it comes back. */
    @FunctionalInterface
    interface Done {
        void at(MessageQueue queue, long offset);
    }

    private final String where;
    private final String group;
    private final QueueRequests requests;
    private final QueueReader reader;
    private final PartitionDrain<MessageQueue> drain;
    private final Duration drainTimeout;
    private final StartOffsets starts;
    private final Done done;
    private final AllocateMessageQueueAveragely strategy = new AllocateMessageQueueAveragely();
    private long lockedAt = System.nanoTime();
    private final Set<MessageQueue> waitingLogged = new HashSet<>();
    /** Queues not read any more whose locks this member may still hold: released on the next round. */
    private final Set<MessageQueue> leftLocked = new HashSet<>();

    QueueGroup(String where, String group, QueueRequests requests, QueueReader reader, PartitionDrain<MessageQueue> drain,
               Duration drainTimeout, StartOffsets starts, Done done) {
        this.where = where;
        this.group = group;
        this.requests = requests;
        this.reader = reader;
        this.drain = drain;
        this.drainTimeout = drainTimeout;
        this.starts = starts;
        this.done = done;
    }

    /** One round: share, renew, give up, take. {@code all}: the topic's queues now. */
    synchronized void rebalance(Collection<MessageQueue> all) throws Exception {
        unlockLeftOver();
        renew();
        List<MessageQueue> queues = new ArrayList<>(new TreeSet<>(all));
        List<String> members = new ArrayList<>(new TreeSet<>(requests.members(queues.get(0))));
        String me = requests.clientId();
        if (!members.contains(me)) {
            // the brokers have not had this member's heartbeat yet: it counts itself, and sends one
            requests.heartbeat();
            members.add(me);
            members.sort(null);
        }
        Set<MessageQueue> share = new HashSet<>(strategy.allocate(group, me, queues, members));
        Set<MessageQueue> owned = reader.owned();
        Set<MessageQueue> giveUp = new TreeSet<>(owned);
        giveUp.removeAll(share);
        if (!giveUp.isEmpty()) {
            release(giveUp, drainTimeout, members.size() + " in the group");
        }
        Set<MessageQueue> wanted = new TreeSet<>(share);
        wanted.removeAll(owned);
        if (!wanted.isEmpty()) {
            take(wanted, members.size());
        }
    }

    private void renew() throws Exception {
        Set<MessageQueue> held = reader.owned();
        if (held.isEmpty()) {
            lockedAt = System.nanoTime();
            return;
        }
        Set<MessageQueue> locked;
        try {
            locked = requests.lock(held);
        } catch (Exception e) {
            if (System.nanoTime() - lockedAt > Duration.ofSeconds(LOCK_VALID_SECONDS).toNanos()) {
                lose(held, "their locks were not renewed for " + LOCK_VALID_SECONDS + " s");
            }
            throw e;
        }
        lockedAt = System.nanoTime();
        Set<MessageQueue> lost = new TreeSet<>(held);
        lost.removeAll(locked);
        if (!lost.isEmpty()) {
            lose(lost, "another member holds their locks");
        }
    }

    private void lose(Set<MessageQueue> lost, String why) {
        reader.stop(lost);
        drain.forget(lost);
        reader.remove(lost);
        LOG.warn("{}: lost {} without writing their offsets ({}); records in flight may be read again by their next owner",
                where, names(lost), why);
    }

    private void take(Set<MessageQueue> wanted, int members) throws Exception {
        Set<MessageQueue> locked;
        Map<MessageQueue, Long> offsets = new HashMap<>();
        try {
            locked = requests.lock(wanted);
            for (MessageQueue queue : locked) {
                offsets.put(queue, starts.of(queue));
            }
            reader.take(offsets);
        } catch (Exception e) {
            // locked (perhaps even when the answer was lost) but not read: a lock kept here is renewed by no
            // one and released by no one, and the queue's next owner would wait for it to lapse
            unlock(wanted);
            throw e;
        }
        Set<MessageQueue> waiting = new TreeSet<>(wanted);
        waiting.removeAll(locked);
        waitingLogged.retainAll(waiting);
        if (!locked.isEmpty()) {
            LOG.info("{}: assigned {} ({} in the group), starting at {}", where, names(locked), members,
                    offsets.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> QueuePartition.name(e.getKey()) + "@" + e.getValue()).toList());
        }
        Set<MessageQueue> newlyWaiting = new TreeSet<>(waiting);
        newlyWaiting.removeAll(waitingLogged);
        if (!newlyWaiting.isEmpty()) {
            LOG.info("{}: waiting for {} to be unlocked by their previous owner", where, names(newlyWaiting));
            waitingLogged.addAll(newlyWaiting);
        }
    }

    /** Gives up every queue (closing): what is done is written as the group's offsets, then the locks are released. */
    synchronized void releaseAll() {
        Set<MessageQueue> owned = reader.owned();
        if (owned.isEmpty()) {
            return;
        }
        try {
            release(owned, Duration.ZERO, "closing");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: giving up {} while closing: {}; records in flight may be read again by their next owner",
                    where, names(owned), e.toString());
            unlockLeftOver();
        }
    }

    private void release(Set<MessageQueue> queues, Duration timeout, String why) throws Exception {
        Map<MessageQueue, Long> floors = new HashMap<>();
        queues.forEach(q -> floors.put(q, reader.floor(q)));
        int dropped = reader.stop(queues);
        // from here on this member no longer renews their locks: should the rest fail, the next round releases them
        leftLocked.addAll(queues);
        Map<MessageQueue, PartitionDrain.Drained> drained = drain.release(queues, timeout);
        List<String> written = new ArrayList<>();
        for (Map.Entry<MessageQueue, PartitionDrain.Drained> e : drained.entrySet()) {
            MessageQueue queue = e.getKey();
            PartitionDrain.Drained d = e.getValue();
            Long floor = floors.get(queue);
            if (d.lastDone() >= 0 && floor != null && d.lastDone() + 1 >= floor) {
                try {
                    requests.writeGroupOffset(queue, d.lastDone() + 1);
                    reader.written(queue, d.lastDone() + 1);
                    written.add(QueuePartition.name(queue) + "@" + (d.lastDone() + 1));
                } catch (Exception failed) {
                    LOG.warn("{}: writing the offset of {} before giving it up failed ({}); its next owner may read records"
                            + " again", where, QueuePartition.name(queue), failed.toString());
                }
                done.at(queue, d.lastDone());
            }
            if (d.inFlight() > 0) {
                LOG.warn("{}: {} given up with {} records still in flight after {}; its next owner reads them again",
                        where, QueuePartition.name(queue), d.inFlight(), timeout);
            }
        }
        reader.remove(queues);
        // logged before the unlock, which lets the next owner start: the two daemons' logs then show the move in order
        LOG.info("{}: gave up {} ({}; {} fetched records dropped unread), committed {}", where, names(queues), why, dropped,
                written.stream().sorted().toList());
        unlockLeftOver();
    }

    /**
     * Releases the locks of queues not read (any more). A release that fails is tried again on every round
     * until it succeeds: these queues are no longer renewed, so without it their next owner would wait until
     * the broker lets the locks lapse.
     */
    private void unlock(Set<MessageQueue> queues) {
        leftLocked.addAll(queues);
        unlockLeftOver();
    }

    private void unlockLeftOver() {
        if (leftLocked.isEmpty()) {
            return;
        }
        Set<MessageQueue> queues = new TreeSet<>(leftLocked);
        queues.removeAll(reader.owned());
        try {
            requests.unlock(queues);
            leftLocked.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: releasing the locks of {} failed ({}); trying again on the next round", where, names(queues),
                    e.toString());
        }
    }

    private static List<String> names(Collection<MessageQueue> queues) {
        return queues.stream().map(QueuePartition::name).sorted().toList();
    }
}
