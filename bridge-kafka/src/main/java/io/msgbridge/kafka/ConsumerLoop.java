package io.msgbridge.kafka;

import io.msgbridge.backend.DurationText;
import io.msgbridge.backend.OutageLog;
import io.msgbridge.backend.PartitionDrain;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thread that owns a {@link KafkaConsumer} (the client is for one thread only) for a
 * {@link KafkaSource}. It polls every {@value #POLL_MILLIS} ms whatever the pipeline does, so the group's
 * {@code max.poll.interval.ms} is never exceeded while the pipeline is full: it then pauses its
 * partitions (the {@link Handoff} is full) and resumes them once the pump took records. Commits asked
 * for by the runtime's committer are made here, and so are rebalances.
 *
 * <p>{@code mode: assign} assigns every partition of the topics (or of the topics matching the pattern),
 * looked up again every {@code pattern-discovery}. {@code mode: group} subscribes with the consumer
 * group's protocol and the cooperative-sticky assignor: a partition given up is drained first (its
 * records handed out are waited for, at most {@code drain-timeout}, through {@link PartitionDrain}) and the
 * offset after its last record done is committed to the group before the rebalance goes on.
 *
 * <p>Where a partition starts: with {@code resume: store}, after its stored position, or at the group's
 * committed offset when that is further (in {@code mode: group} another member may have moved it on);
 * without a stored position, and with {@code resume: broker}, at the group's committed offset, else at
 * {@code initial-position}.
 */
final class ConsumerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final long POLL_MILLIS = 100;
    private static final Duration POLL = Duration.ofMillis(POLL_MILLIS);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long OBSERVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ENDS_SECONDS = 5;
    /** How long a partition with records left may fetch none, while not paused, before it is sought again. */
    private static final Duration STUCK = Duration.ofSeconds(30);
    private static final int MAX_POLL_RECORDS = 1000;
    /** Kafka's default for one partition's share of a fetch; less when the read-ahead is smaller. */
    private static final long PARTITION_FETCH_BYTES = 1024 * 1024;

    /** An acknowledgement whose target is set when the pump takes the record (group mode tracks it then). */
    private static final class TrackedAck implements SourceRecord.Ack {
        private volatile SourceRecord.Ack target;

        @Override
        public void done() {
            SourceRecord.Ack t = target;
            if (t != null) {
                t.done();
            }
        }
    }

    private final KafkaConnectionOptions connection;
    private final KafkaSourceOptions options;
    private final SourceContext context;
    private final String where;
    private final boolean group;
    private final int maxPollRecords;
    private final Handoff handoff;
    private final PartitionDrain<TopicPartition> drain;
    /** Per partition, the last offset known done: the stored positions, then what this source committed. Consumer thread only. */
    private final Map<TopicPartition, Long> lastDone;
    /** Per owned partition, the offset it started at: an older watermark is never committed over it. Consumer thread only. */
    private final Map<TopicPartition, Long> floors = new HashMap<>();
    private final AtomicReference<Map<String, Position>> toCommit = new AtomicReference<>(Map.of());
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Set<String> missingLogged = new HashSet<>();
    private final PartitionWatch watch = new PartitionWatch(STUCK);
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean connected;
    private volatile long lag = -1;
    private volatile BridgeException failure;
    private KafkaConsumer<byte[], byte[]> consumer;
    private long nextDiscovery;
    private long nextObserve;
    private long nextEnds;
    private boolean commitFailing;
    /** While the consumer has no connection to any broker: since when, and when the next summary line is due. */
    private OutageLog outage;

    ConsumerLoop(KafkaConnectionOptions connection, KafkaSourceOptions options, SourceContext context, String where) {
        this.connection = connection;
        this.options = options;
        this.context = context;
        this.where = where;
        this.group = options.mode() == KafkaSourceOptions.Mode.GROUP;
        this.maxPollRecords = Math.max(1, Math.min(MAX_POLL_RECORDS, context.maxInFlight()));
        this.drain = group ? new PartitionDrain<>() : null;
        this.handoff = new Handoff(maxPollRecords, Math.max(1, context.readAhead() / 2), this::taken);
        this.lastDone = context.resume() == SourceContext.Resume.STORE ? Partitions.stored(context.stored(), where) : new HashMap<>();
        this.thread = Thread.ofPlatform().daemon().name("kafka-source-" + context.pipeline()).unstarted(this::run);
    }

    /** Starts the thread and waits until the partitions are assigned (or the group subscribed). */
    void start(Duration timeout) throws InterruptedException {
        thread.start();
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BridgeException b ? b : new RetriableException(where + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw RetriableException.unavailable(where + ": the consumer did not get its partitions within " + DurationText.format(timeout), e);
        }
    }

    List<SourceRecord> take(int max, Duration timeout) throws InterruptedException {
        List<SourceRecord> records = handoff.take(max, timeout);
        BridgeException f = failure;
        if (records.isEmpty() && f != null && !closing) {
            throw f;
        }
        return records;
    }

    /** Remembers positions to commit to the group; the consumer thread commits them on its next turn. */
    void commit(Map<String, Position> watermarks) {
        toCommit.accumulateAndGet(watermarks, (before, now) -> {
            if (before.isEmpty()) {
                return now;
            }
            Map<String, Position> merged = new HashMap<>(before);
            merged.putAll(now);
            return merged;
        });
    }

    boolean connected() {
        return connected && !closing && failure == null;
    }

    long lag() {
        return closing ? -1 : lag;
    }

    /** Ends the loop: commits what it was asked to, leaves the group and closes the consumer. */
    void close() {
        closing = true;
        handoff.close();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join(CLOSE_TIMEOUT.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        // Every line of this thread, the client's own included, carries the pipeline as the runtime's threads do.
        MDC.put("pipeline", context.pipeline());
        try {
            consumer = new KafkaConsumer<>(properties());
        } catch (RuntimeException e) {
            ready.completeExceptionally(new PermanentException(where + ": cannot configure the Kafka consumer: "
                    + KafkaFailures.scrub(e.getMessage(), connection), e));
            return;
        }
        try {
            if (closing) {
                return;
            }
            begin();
            connected = true;
            ready.complete(null);
            loop();
        } catch (WakeupException e) {
            ready.completeExceptionally(new RetriableException(where + ": closed while starting"));
        } catch (BridgeException e) {
            ready.completeExceptionally(e);
        } catch (RuntimeException e) {
            ready.completeExceptionally(KafkaFailures.onStart(where, connection, e));
        } finally {
            finish();
        }
    }

    private Properties properties() {
        Properties p = KafkaClients.common(connection, "bridge-" + context.pipeline());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupName(context.pipeline()));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.initialPosition().name().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // Half the read-ahead for the client's fetches, half for the hand-off (a record larger than a whole
        // fetch still comes, alone).
        long fetch = Math.max(1, Math.min(Integer.MAX_VALUE, context.readAhead() / 2));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, (int) fetch);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, (int) Math.min(fetch, PARTITION_FETCH_BYTES));
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        if (group) {
            p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
            p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            long interval = Math.max(Duration.ofMinutes(5).toMillis(), 2 * options.drainTimeout().toMillis() + 60_000);
            p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, interval));
            if (options.topicsPattern().isPresent()) {
                p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, options.patternDiscovery().toMillis());
            }
        }
        return p;
    }

    private void begin() {
        if (group) {
            Listener listener = new Listener();
            if (options.topicsPattern().isPresent()) {
                consumer.subscribe(options.topicsPattern().get(), listener);
            } else {
                consumer.subscribe(options.topics(), listener);
            }
            LOG.info("{}: joining consumer group '{}' (cooperative-sticky)", where, options.groupName(context.pipeline()));
        } else {
            discover();
        }
    }

    private void loop() {
        int failures = 0;
        while (!closing) {
            try {
                commitPending(false);
                if (!group && System.nanoTime() - nextDiscovery >= 0) {
                    discover();
                }
                if (!group && consumer.assignment().isEmpty()) {
                    // nothing to read yet (no topic matches); a consumer with no partitions may not poll
                    pause(POLL_MILLIS);
                    continue;
                }
                pauseOrResume();
                if (handoff.full()) {
                    // paused: a poll keeps this member in its group; then wait for the pump to take records,
                    // not for a poll's timeout, so the partitions are resumed as soon as there is room
                    hand(consumer.poll(Duration.ZERO));
                    handoff.awaitRoom(POLL);
                } else {
                    hand(consumer.poll(POLL));
                }
                if (failure != null) {
                    LOG.info("{}: reading again", where);
                }
                failure = null;
                failures = 0;
                observe();
            } catch (WakeupException e) {
                // close() woke the consumer: the loop ends
            } catch (RuntimeException e) {
                failures++;
                failure = onPoll(e);
                connected = false;
                if (failures == 1) {
                    LOG.warn("{}; trying again", failure.getMessage());
                }
                pause(Math.min(5000, 100L * failures));
            }
        }
    }

    private BridgeException onPoll(RuntimeException e) {
        String text = KafkaFailures.scrub(e.getClass().getSimpleName() + ": " + e.getMessage(), connection);
        if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
            return new PermanentException(where + ": refused: " + text, e);
        }
        return new RetriableException(where + ": polling failed: " + text, e);
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /** Pauses every partition while the hand-off is full, and resumes them when the pump took records. */
    private void pauseOrResume() {
        if (handoff.full()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void hand(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Handoff.Fetched> fetched = new ArrayList<>(records.count());
        for (TopicPartition partition : records.partitions()) {
            String name = Partitions.name(partition);
            for (ConsumerRecord<byte[], byte[]> r : records.records(partition)) {
                fetched.add(new Handoff.Fetched(partition, record(name, r)));
            }
        }
        handoff.add(fetched);
    }

    private SourceRecord record(String partition, ConsumerRecord<byte[], byte[]> r) {
        KafkaMessageMapper.Mapped mapped = KafkaMessageMapper.toBridge(r);
        Position position = new Position(partition, Long.toString(r.offset()), r.offset());
        SourceRecord.Ack ack = group ? new TrackedAck() : SourceRecord.Ack.NONE;
        if (mapped.readable()) {
            return new SourceRecord(mapped.message(), position, 1, ack);
        }
        return SourceRecord.unreadable(mapped.message(), position, 1, ack, new PermanentException(where + ": record "
                + position + " cannot be read as text: " + mapped.unreadable()));
    }

    /** Called under the hand-off's lock as the pump takes a record: in group mode it is tracked from now on. */
    private void taken(Handoff.Fetched fetched) {
        if (drain != null && fetched.record().ack() instanceof TrackedAck ack) {
            ack.target = drain.handedOut(fetched.partition(), fetched.record().position().sequence());
        }
    }

    /**
     * One line when the consumer loses its last broker connection, a summary at growing intervals while
     * none comes back, and one when it is connected again: the client itself logs each failed attempt,
     * which the daemon's log configuration drops.
     */
    private void logConnection(long now) {
        if (!connected && outage == null) {
            outage = new OutageLog(now);
            LOG.warn("{}: no connection to any broker ({}); the client keeps trying, the pipeline is not ready meanwhile",
                    where, String.join(",", connection.bootstrapServers()));
        } else if (!connected && outage.summaryDue(now)) {
            LOG.warn("{}: still no connection to any broker ({}) after {}; next summary in {}",
                    where, String.join(",", connection.bootstrapServers()), outage.lasted(now), outage.nextSummaryIn());
        } else if (connected && outage != null) {
            LOG.info("{}: connected to the brokers again after {}", where, outage.lasted(now));
            outage = null;
        }
    }

    /**
     * The client's connections, the lag and stuck partitions, at most once a second. The end offsets are
     * listed every {@value #ENDS_SECONDS} s (one request); the rest is client state.
     */
    private void observe() {
        long now = System.nanoTime();
        if (now - nextObserve < 0) {
            return;
        }
        nextObserve = now + OBSERVE_NANOS;
        connected = KafkaClients.connectionCount(consumer.metrics()) > 0;
        logConnection(now);
        Set<TopicPartition> assigned = consumer.assignment();
        if (now - nextEnds >= 0) {
            nextEnds = now + TimeUnit.SECONDS.toNanos(ENDS_SECONDS);
            try {
                watch.ends(consumer.endOffsets(assigned, Duration.ofSeconds(ENDS_SECONDS)));
            } catch (KafkaException e) {
                LOG.debug("{}: listing end offsets: {}", where, e.toString());
            }
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        long total = 0;
        boolean known = false;
        for (TopicPartition partition : assigned) {
            long position = positionOf(partition);
            positions.put(partition, position);
            OptionalLong fetched = consumer.currentLag(partition);
            long behind = fetched.isPresent() ? fetched.getAsLong() : watch.behind(partition, position);
            if (behind >= 0) {
                total += behind;
                known = true;
            }
        }
        int buffered = handoff.size();
        lag = known ? total + buffered : buffered > 0 ? buffered : -1;
        for (PartitionWatch.Stuck stuck : watch.observe(positions, consumer.paused().isEmpty(), now)) {
            restart(stuck);
        }
    }

    /** Tells the consumer again where a stuck partition is, which makes it fetch the partition afresh. */
    private void restart(PartitionWatch.Stuck stuck) {
        String name = Partitions.name(stuck.partition());
        if (stuck.position() >= 0) {
            LOG.warn("{}: {} has {} records after offset {} but the consumer has fetched none of them for {} s; "
                            + "asking the broker again from offset {}", where, name, stuck.end() - stuck.position(),
                    stuck.position(), stuck.idle().toSeconds(), stuck.position());
            consumer.seek(stuck.partition(), stuck.position());
            return;
        }
        LOG.warn("{}: {} has had no position to fetch from for {} s (its end offset is {}); starting it again",
                where, name, stuck.idle().toSeconds(), stuck.end());
        startAt(stuck.partition(), committed(Set.of(stuck.partition())).getOrDefault(stuck.partition(), -1L));
    }

    /** The consumer's position in a partition, or -1 while it has none it can use (not yet looked up, or being validated). */
    private long positionOf(TopicPartition partition) {
        try {
            return consumer.position(partition, Duration.ZERO);
        } catch (KafkaException e) {
            return -1;
        }
    }

    /** {@code mode: assign}: assigns every partition of the topics, the new ones from where they start. */
    private void discover() {
        nextDiscovery = System.nanoTime() + options.patternDiscovery().toNanos();
        Set<TopicPartition> found = new HashSet<>();
        if (options.topicsPattern().isPresent()) {
            for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics().entrySet()) {
                if (!topic.getKey().startsWith("__") && options.topicsPattern().get().matcher(topic.getKey()).matches()) {
                    topic.getValue().forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
        } else {
            for (String topic : options.topics()) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic);
                if (partitions == null || partitions.isEmpty()) {
                    if (missingLogged.add(topic)) {
                        LOG.warn("{}: topic {} does not exist (yet); looking again every {}", where, topic, DurationText.format(options.patternDiscovery()));
                    }
                    continue;
                }
                missingLogged.remove(topic);
                partitions.forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        Set<TopicPartition> before = consumer.assignment();
        if (found.equals(before)) {
            return;
        }
        Set<TopicPartition> added = new TreeSet<>(java.util.Comparator.comparing(Partitions::name));
        found.stream().filter(partition -> !before.contains(partition)).forEach(added::add);
        Map<TopicPartition, Long> committed = committed(added);
        consumer.assign(found);
        added.forEach(partition -> startAt(partition, committed.getOrDefault(partition, -1L)));
        LOG.info("{}: reading {} partitions; new: {}", where, found.size(), added.stream().map(Partitions::name).toList());
    }

    /**
     * The group's committed offsets of the partitions that have no stored position, asked for here
     * rather than left to the consumer, so that every partition starts at an offset this source chose
     * and logged (or at {@code initial-position}); a failure is thrown, and the loop tries again.
     */
    private Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) {
        Set<TopicPartition> unstored = new HashSet<>(partitions);
        unstored.removeAll(lastDone.keySet());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (!unstored.isEmpty()) {
            consumer.committed(unstored, connection.requestTimeout()).forEach((partition, offset) -> {
                if (offset != null) {
                    offsets.put(partition, offset.offset());
                }
            });
        }
        return offsets;
    }

    /**
     * Seeks a partition this source now reads to the offset after its stored position, or to
     * {@code committed} (the group's offset) when that is further; with neither, to
     * {@code initial-position}.
     */
    private void startAt(TopicPartition partition, long committed) {
        Long stored = lastDone.get(partition);
        long start = committed;
        if (stored != null) {
            start = Math.max(start, stored + 1);
        }
        if (start >= 0) {
            consumer.seek(partition, start);
            LOG.info("{}: {} resumes at offset {}", where, Partitions.name(partition), start);
        } else if (options.initialPosition() == KafkaSourceOptions.StartPosition.EARLIEST) {
            consumer.seekToBeginning(Set.of(partition));
            LOG.info("{}: {} starts at its earliest offset (initial-position)", where, Partitions.name(partition));
        } else {
            consumer.seekToEnd(Set.of(partition));
            LOG.info("{}: {} starts at its end (initial-position: latest)", where, Partitions.name(partition));
        }
        floors.put(partition, Math.max(0, start));
    }

    /** Commits to the group what the runtime stored, for partitions this source still reads. */
    private void commitPending(boolean sync) {
        Map<String, Position> pending = toCommit.getAndSet(Map.of());
        if (pending.isEmpty()) {
            return;
        }
        Set<TopicPartition> reading = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        pending.forEach((name, position) -> {
            TopicPartition partition = Partitions.parse(name);
            if (partition == null || !reading.contains(partition) || position.sequence() < 0) {
                return;
            }
            long next = position.sequence() + 1;
            if (next >= floors.getOrDefault(partition, 0L)) {
                offsets.put(partition, new OffsetAndMetadata(next));
                lastDone.merge(partition, position.sequence(), Math::max);
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(offsets, connection.requestTimeout());
            } catch (KafkaException e) {
                LOG.warn("{}: the last commit to the consumer group failed ({}); the offset store has it",
                        where, KafkaFailures.scrub(e.toString(), connection));
            }
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error != null && !commitFailing) {
                    LOG.warn("{}: committing to consumer group '{}' failed, trying again with the next commit: {}",
                            where, options.groupName(context.pipeline()), KafkaFailures.scrub(error.toString(), connection));
                }
                commitFailing = error != null;
            });
        }
    }

    private void finish() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c == null) {
            return;
        }
        closing = true;
        try {
            commitPending(true);
        } catch (RuntimeException e) {
            LOG.debug("{}: final commit to the group: {}", where, e.toString());
        }
        try {
            c.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.debug("{}: closing the consumer: {}", where, e.toString());
        }
        connected = false;
    }

    /** {@code mode: group}: partitions come and go; each one given up is drained and committed first. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                drain.own(partition);
                startAt(partition, offset == null ? -1 : offset.offset());
            }
            LOG.info("{}: assigned {}", where, names(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            int dropped = handoff.remove(partitions);
            Duration timeout = closing ? Duration.ZERO : options.drainTimeout();
            Map<TopicPartition, PartitionDrain.Drained> drained;
            try {
                drained = drain.release(partitions, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = Map.of();
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            drained.forEach((partition, d) -> {
                if (d.lastDone() >= 0 && d.lastDone() + 1 >= floors.getOrDefault(partition, 0L)) {
                    offsets.put(partition, new OffsetAndMetadata(d.lastDone() + 1));
                    lastDone.merge(partition, d.lastDone(), Math::max);
                }
                if (d.inFlight() > 0) {
                    LOG.warn("{}: {} given up with {} records still in flight{}; its next owner reads them again",
                            where, Partitions.name(partition), d.inFlight(), closing ? " (closing)" : " after " + DurationText.format(timeout));
                }
            });
            try {
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets, connection.requestTimeout());
                }
            } catch (KafkaException e) {
                LOG.warn("{}: committing {} to the group before giving them up failed ({}); their next owner may read "
                        + "records again", where, names(partitions), KafkaFailures.scrub(e.toString(), connection));
            }
            partitions.forEach(floors::remove);
            LOG.info("{}: gave up {} ({} fetched records dropped unread), committed {}", where, names(partitions), dropped,
                    offsets.entrySet().stream().map(e -> Partitions.name(e.getKey()) + "@" + e.getValue().offset()).toList());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            handoff.remove(partitions);
            drain.forget(partitions);
            partitions.forEach(floors::remove);
            LOG.warn("{}: lost {} without committing (the group moved on without this member); their next owner reads "
                    + "records in flight again", where, names(partitions));
        }

        private List<String> names(Collection<TopicPartition> partitions) {
            return partitions.stream().map(Partitions::name).sorted().toList();
        }
    }
}
