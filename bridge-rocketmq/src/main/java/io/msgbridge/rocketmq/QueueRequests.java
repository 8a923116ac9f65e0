package io.msgbridge.rocketmq;

import io.msgbridge.spi.RetriableException;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.impl.FindBrokerResult;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.LockBatchRequestBody;
import org.apache.rocketmq.remoting.protocol.body.UnlockBatchRequestBody;
import org.apache.rocketmq.remoting.protocol.header.QueryConsumerOffsetRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.UpdateConsumerOffsetRequestHeader;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The requests a source makes to the brokers beside pulling: queue offsets, the consumer group's offsets,
 * its members and the queue locks. Queues are passed as the bridge names them (the topic without the
 * client's namespace); the namespace is added here, where rocketmq-client's own methods would not add it.
 * Every request waits at most the connection's {@code operation-timeout}. Thread-safe.
 */
final class QueueRequests {
    private final DefaultLitePullConsumer consumer;
    private final MQClientInstance instance;
    private final String topic;
    private final String group;
    private final long timeoutMs;

    /** For a started consumer of {@code topic}; topic and group as configured (without the namespace). */
    QueueRequests(DefaultLitePullConsumer consumer, String topic, String group, Duration timeout) {
        this.consumer = consumer;
        this.instance = MQClientManager.getInstance().getFactoryTable().get(consumer.buildMQClientId());
        if (instance == null) {
            throw new IllegalStateException("the consumer of group " + group + " is not started");
        }
        this.topic = topic;
        this.group = consumer.withNamespace(group);
        this.timeoutMs = timeout.toMillis();
    }

    /** This client's id on the brokers: the name of a group member and the owner of its locks. */
    String clientId() {
        return instance.getClientId();
    }

    long minOffset(MessageQueue queue) throws Exception {
        return instance.getMQAdminImpl().minOffset(consumer.queueWithNamespace(queue));
    }

    long maxOffset(MessageQueue queue) throws Exception {
        return instance.getMQAdminImpl().maxOffset(consumer.queueWithNamespace(queue));
    }

    /**
     * The consumer group's offset of {@code queue} on its broker, or -1 when the group has none. Asked with
     * {@code setZeroIfNotFound=false}: the client's own {@code committed} lets the broker answer 0 for a
     * group it does not know while the queue's first messages are still in memory, which would read a new
     * group with {@code initial-position: latest} from the start.
     */
    long groupOffset(MessageQueue queue) throws Exception {
        QueryConsumerOffsetRequestHeader header = new QueryConsumerOffsetRequestHeader();
        header.setConsumerGroup(group);
        header.setTopic(consumer.withNamespace(queue.getTopic()));
        header.setQueueId(queue.getQueueId());
        header.setSetZeroIfNotFound(false);
        try {
            return instance.getMQClientAPIImpl().queryConsumerOffset(broker(queue.getBrokerName()), header, timeoutMs);
        } catch (MQBrokerException e) {
            if (e.getResponseCode() == ResponseCode.QUERY_NOT_FOUND) {
                return -1;
            }
            throw e;
        }
    }

    /** Writes {@code next} (the offset of the next message to consume) as the group's offset of {@code queue}, and waits for the answer. */
    void writeGroupOffset(MessageQueue queue, long next) throws Exception {
        UpdateConsumerOffsetRequestHeader header = new UpdateConsumerOffsetRequestHeader();
        header.setConsumerGroup(group);
        header.setTopic(consumer.withNamespace(queue.getTopic()));
        header.setQueueId(queue.getQueueId());
        header.setBrokerName(queue.getBrokerName());
        header.setCommitOffset(next);
        instance.getMQClientAPIImpl().updateConsumerOffset(broker(queue.getBrokerName()), header, timeoutMs);
    }

    /**
     * The client ids of the group's members, as the broker of {@code queue} knows them from their heartbeats;
     * empty when it knows none (it answers that with an error).
     */
    List<String> members(MessageQueue queue) throws Exception {
        try {
            List<String> ids = instance.getMQClientAPIImpl().getConsumerIdListByGroup(broker(queue.getBrokerName()), group, timeoutMs);
            return ids == null ? List.of() : ids;
        } catch (MQBrokerException e) {
            if (e.getResponseCode() == ResponseCode.SYSTEM_ERROR && String.valueOf(e.getErrorMessage()).startsWith("no consumer for this group")) {
                return List.of();
            }
            throw e;
        }
    }

    /** Sends this client's heartbeat to the topic's brokers now, so that they count it as a member of the group. */
    void heartbeat() {
        instance.updateTopicRouteInfoFromNameServer(consumer.withNamespace(topic));
        instance.sendHeartbeatToAllBrokerWithLock();
    }

    /**
     * Locks {@code queues} for this client on their brokers (or renews the locks it holds); returns those
     * locked. A queue locked by another client that renewed it within the broker's lock lifetime (60 s) is
     * not. A broker that does not answer fails the whole call.
     */
    Set<MessageQueue> lock(Collection<MessageQueue> queues) throws Exception {
        Set<MessageQueue> locked = new HashSet<>();
        for (Map.Entry<String, Set<MessageQueue>> e : byBroker(queues).entrySet()) {
            LockBatchRequestBody body = new LockBatchRequestBody();
            body.setConsumerGroup(group);
            body.setClientId(clientId());
            body.setMqSet(e.getValue().stream().map(consumer::queueWithNamespace).collect(Collectors.toSet()));
            for (MessageQueue q : instance.getMQClientAPIImpl().lockBatchMQ(broker(e.getKey()), body, timeoutMs)) {
                locked.add(new MessageQueue(consumer.withoutNamespace(q.getTopic()), q.getBrokerName(), q.getQueueId()));
            }
        }
        return locked;
    }

    /** Releases this client's locks of {@code queues}, waiting for each broker's answer. */
    void unlock(Collection<MessageQueue> queues) throws Exception {
        for (Map.Entry<String, Set<MessageQueue>> e : byBroker(queues).entrySet()) {
            UnlockBatchRequestBody body = new UnlockBatchRequestBody();
            body.setConsumerGroup(group);
            body.setClientId(clientId());
            body.setMqSet(e.getValue().stream().map(consumer::queueWithNamespace).collect(Collectors.toSet()));
            instance.getMQClientAPIImpl().unlockBatchMQ(broker(e.getKey()), body, timeoutMs, false);
        }
    }

    private static Map<String, Set<MessageQueue>> byBroker(Collection<MessageQueue> queues) {
        return queues.stream().collect(Collectors.groupingBy(MessageQueue::getBrokerName, TreeMap::new, Collectors.toSet()));
    }

    /** The address of the master broker named {@code name}, looking the routes up again once when it is not known. */
    private String broker(String name) {
        FindBrokerResult found = instance.findBrokerAddressInSubscribe(name, MixAll.MASTER_ID, true);
        if (found == null) {
            instance.updateTopicRouteInfoFromNameServer(consumer.withNamespace(topic));
            found = instance.findBrokerAddressInSubscribe(name, MixAll.MASTER_ID, true);
        }
        if (found == null) {
            throw new RetriableException("no address of broker " + name + " yet");
        }
        return found.getBrokerAddr();
    }
}
