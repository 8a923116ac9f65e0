package io.msgbridge.rocketmq;

import io.msgbridge.spi.Position;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * A message queue as a source partition: {@code TOPIC/BROKER/QUEUE_ID}, e.g. {@code orders/broker-a/3}
 * (topic names cannot hold a {@code /}).
 */
final class QueuePartition {
    private QueuePartition() {
    }

    static String name(MessageQueue queue) {
        return queue.getTopic() + "/" + queue.getBrokerName() + "/" + queue.getQueueId();
    }

    /** The position of the message at {@code offset} of {@code queue}: offset and sequence are the queue offset. */
    static Position position(MessageQueue queue, long offset) {
        return new Position(name(queue), Long.toString(offset), offset);
    }

    /** The queue a partition name stands for, or null when the name is not one of this form. */
    static MessageQueue parse(String partition) {
        int first = partition.indexOf('/');
        int last = partition.lastIndexOf('/');
        if (first <= 0 || last <= first + 1 || last == partition.length() - 1) {
            return null;
        }
        try {
            return new MessageQueue(partition.substring(0, first), partition.substring(first + 1, last),
                    Integer.parseInt(partition.substring(last + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
