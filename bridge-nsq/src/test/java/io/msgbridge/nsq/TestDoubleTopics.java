package io.msgbridge.nsq;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The topics and channels of the {@link NsqTestDouble}, as nsqd keeps them: a topic holds messages
 * until it has a channel, then copies each message to every channel; a channel hands messages to its
 * subscribed clients while a client has fewer in flight than its RDY count, and requeues a message
 * (attempts + 1 on its next delivery) when it is not finished within the client's msg_timeout, when
 * it is requeued, or after its deferral. One lock (this object) guards everything; sends go through
 * each client's own writer queue, so nothing blocks under the lock.
 */
final class TestDoubleTopics {
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    private long nextId = 1;

    /** A topic. */
    static final class Topic {
        final String name;
        final Deque<TestDoubleMessage> buffered = new ArrayDeque<>();
        final Map<String, Channel> channels = new LinkedHashMap<>();
        long messageCount;

        Topic(String name) {
            this.name = name;
        }
    }

    /** A channel of a topic. */
    static final class Channel {
        final String name;
        final Deque<TestDoubleMessage> ready = new ArrayDeque<>();
        final PriorityQueue<Deferred> deferred = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
        final Map<String, InFlight> inFlight = new HashMap<>();
        final List<TestDoubleClient> clients = new ArrayList<>();
        long messageCount;
        long requeueCount;
        long timeoutCount;
        int peakInFlight;
        private int roundRobin;

        Channel(String name) {
            this.name = name;
        }
    }

    record Deferred(TestDoubleMessage message, long dueNanos) {
    }

    static final class InFlight {
        final TestDoubleMessage message;
        final TestDoubleClient client;
        final long deliveredNanos;
        long deadlineNanos;

        InFlight(TestDoubleMessage message, TestDoubleClient client, long deliveredNanos, long deadlineNanos) {
            this.message = message;
            this.client = client;
            this.deliveredNanos = deliveredNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    synchronized Topic topic(String name) {
        return topics.computeIfAbsent(name, Topic::new);
    }

    synchronized Channel channel(String topicName, String channelName) {
        Topic topic = topic(topicName);
        Channel channel = topic.channels.get(channelName);
        if (channel == null) {
            channel = new Channel(channelName);
            topic.channels.put(channelName, channel);
            if (topic.channels.size() == 1) {
                channel.ready.addAll(topic.buffered);
                channel.messageCount += topic.buffered.size();
                topic.buffered.clear();
            }
        }
        return channel;
    }

    synchronized void publish(String topicName, List<byte[]> bodies, Duration defer) {
        Topic topic = topic(topicName);
        long now = System.nanoTime();
        for (byte[] body : bodies) {
            TestDoubleMessage message = new TestDoubleMessage("%016x".formatted(nextId++), body, System.currentTimeMillis() * 1_000_000);
            topic.messageCount++;
            if (topic.channels.isEmpty()) {
                topic.buffered.addLast(message);
                continue;
            }
            for (Channel channel : topic.channels.values()) {
                TestDoubleMessage copy = message.copy();
                channel.messageCount++;
                if (defer.isZero()) {
                    channel.ready.addLast(copy);
                } else {
                    channel.deferred.add(new Deferred(copy, now + defer.toNanos()));
                }
            }
        }
        topic.channels.values().forEach(this::dispatch);
    }

    synchronized void subscribe(TestDoubleClient client, String topicName, String channelName) {
        channel(topicName, channelName).clients.add(client);
    }

    /** Gives ready messages to clients with room in their RDY window. Caller holds the lock. */
    void dispatch(Channel channel) {
        long now = System.nanoTime();
        while (!channel.ready.isEmpty()) {
            TestDoubleClient client = nextReady(channel);
            if (client == null) {
                return;
            }
            TestDoubleMessage message = channel.ready.pollFirst();
            message.attempts++;
            channel.inFlight.put(message.id, new InFlight(message, client, now, now + client.msgTimeout().toNanos()));
            channel.peakInFlight = Math.max(channel.peakInFlight, channel.inFlight.size());
            client.inFlight++;
            client.sendMessage(message);
        }
    }

    private static TestDoubleClient nextReady(Channel channel) {
        int n = channel.clients.size();
        for (int i = 0; i < n; i++) {
            TestDoubleClient c = channel.clients.get(Math.floorMod(channel.roundRobin++, n));
            if (c.readyForMore()) {
                return c;
            }
        }
        return null;
    }

    /** After a client's RDY changed. */
    synchronized void ready(TestDoubleClient client) {
        if (client.channel != null) {
            dispatch(client.channel);
        }
    }

    synchronized boolean finish(TestDoubleClient client, String id) {
        InFlight f = owned(client, id);
        if (f == null) {
            return false;
        }
        client.channel.inFlight.remove(id);
        client.inFlight--;
        dispatch(client.channel);
        return true;
    }

    synchronized boolean requeue(TestDoubleClient client, String id, Duration delay) {
        InFlight f = owned(client, id);
        if (f == null) {
            return false;
        }
        Channel channel = client.channel;
        channel.inFlight.remove(id);
        client.inFlight--;
        channel.requeueCount++;
        if (delay.isZero()) {
            channel.ready.addLast(f.message);
        } else {
            channel.deferred.add(new Deferred(f.message, System.nanoTime() + delay.toNanos()));
        }
        dispatch(channel);
        return true;
    }

    synchronized boolean touch(TestDoubleClient client, String id, Duration maxMsgTimeout) {
        InFlight f = owned(client, id);
        if (f == null) {
            return false;
        }
        long now = System.nanoTime();
        f.deadlineNanos = Math.min(now + client.msgTimeout().toNanos(), f.deliveredNanos + maxMsgTimeout.toNanos());
        return true;
    }

    private static InFlight owned(TestDoubleClient client, String id) {
        if (client.channel == null) {
            return null;
        }
        InFlight f = client.channel.inFlight.get(id);
        return f != null && f.client == client ? f : null;
    }

    /** The client left: like nsqd, its in-flight messages stay until they time out. */
    synchronized void left(TestDoubleClient client) {
        if (client.channel != null) {
            client.channel.clients.remove(client);
        }
    }

    /** Timeouts and deferrals that are due, then dispatch. */
    synchronized void tick() {
        long now = System.nanoTime();
        for (Topic topic : topics.values()) {
            for (Channel channel : topic.channels.values()) {
                Iterator<InFlight> it = channel.inFlight.values().iterator();
                while (it.hasNext()) {
                    InFlight f = it.next();
                    if (now >= f.deadlineNanos) {
                        it.remove();
                        f.client.inFlight--;
                        channel.timeoutCount++;
                        channel.ready.addLast(f.message);
                    }
                }
                while (!channel.deferred.isEmpty() && channel.deferred.peek().dueNanos() <= now) {
                    channel.ready.addLast(channel.deferred.poll().message());
                }
                dispatch(channel);
            }
        }
    }

    synchronized List<Topic> snapshot() {
        return List.copyOf(topics.values());
    }
}
