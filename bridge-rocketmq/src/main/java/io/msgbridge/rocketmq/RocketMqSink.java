package io.msgbridge.rocketmq;

import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A RocketMQ sink: one {@link DefaultMQProducer}, asynchronous sends to the queue that
 * {@link KeyHashSelector} picks for the record's key (or, without a key, for its source partition), so a
 * key's messages all go to one message queue. A publish completes when the broker answered {@code SEND_OK}.
 *
 * <p>Order: one record of a key at a time ({@link SinkOrdering#ONE_AT_A_TIME}). rocketmq-client hands each
 * asynchronous send to a pool of sender threads, and the broker processes the sends of one connection on
 * several threads, so two sends in flight to one queue may be stored in either order; RocketMQ promises
 * queue order only to a producer that waits for each send. The runtime therefore publishes a key's next
 * record once the previous one is confirmed, while records of other keys are in flight together.
 *
 * <p>Retries are the bridge's: the client's own are off (a resend from inside the client could overtake
 * a later record of the key). Failures are classified by {@link RocketMqFailures}. {@link #connected()}
 * turns false on a failure that says the broker could not be reached or has no route to the topic (how
 * a stopped broker shows once the NameServer dropped it), and true again on the next confirmed send.
 */
final class RocketMqSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(RocketMqSink.class);
    /** Sender threads: each one only writes a request to a connection and returns, so a few are enough. */
    private static final int SENDER_THREADS = 2;
    /** Topics that an auto-creating broker creates for this producer get this many queues (the client's default is 4). */
    private static final int QUEUES_OF_NEW_TOPICS = 8;

    private final RocketMqConnectionOptions connection;
    private final RocketMqSinkOptions options;
    private volatile DefaultMQProducer producer;
    private volatile ExecutorService senders;
    private volatile boolean reachable;
    private volatile boolean closed;
    private String where = "rocketmq sink";

    RocketMqSink(RocketMqConnectionOptions connection, RocketMqSinkOptions options) {
        this.connection = connection;
        this.options = options;
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        boolean deadLetter = context.role() == SinkContext.Role.DEAD_LETTER;
        where = context.pipeline() + ": rocketmq " + (deadLetter ? "dead-letter sink " : "sink ") + options.describe()
                + " on " + connection.describe();
        DefaultMQProducer p = new DefaultMQProducer("bridge-" + context.pipeline(), RocketMqClients.rpcHook(connection));
        RocketMqClients.configure(p, connection, context.pipeline(), deadLetter ? "dead-letter" : "sink", where);
        p.setSendMsgTimeout((int) Math.min(Integer.MAX_VALUE, options.sendTimeout().toMillis()));
        p.setRetryTimesWhenSendFailed(0);
        p.setRetryTimesWhenSendAsyncFailed(0);
        p.setRetryAnotherBrokerWhenNotStoreOK(false);
        p.setSendLatencyFaultEnable(false);
        p.setMaxMessageSize(options.maxMessageSize());
        p.setDefaultTopicQueueNums(QUEUES_OF_NEW_TOPICS);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(SENDER_THREADS, SENDER_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "rocketmq-send-" + context.pipeline());
                    t.setDaemon(true);
                    return t;
                });
        p.setAsyncSenderExecutor(pool);
        try {
            p.start();
            probe(p);
        } catch (MQClientException | RuntimeException e) {
            p.shutdown();
            pool.shutdownNow();
            throw RocketMqFailures.onStart(where, connection, "cannot start the producer", e);
        }
        senders = pool;
        producer = p;
        reachable = true;
        LOG.info("{}: started", where);
        if (closed) {
            close();
        }
    }

    /**
     * For a fixed topic that exists, asks its broker for a queue's offset, so that refused credentials
     * fail the start rather than every publish. A topic without a route yet is for the publish to find
     * out (it may be created on first use).
     */
    private void probe(DefaultMQProducer p) throws MQClientException {
        if (!options.topic().fixed()) {
            return;
        }
        List<MessageQueue> queues;
        try {
            queues = p.fetchPublishMessageQueues(options.topic().render(""));
        } catch (MQClientException e) {
            LOG.debug("{}: no route to the topic yet: {}", where, e.getErrorMessage());
            return;
        }
        if (!queues.isEmpty()) {
            p.maxOffset(queues.get(0));
        }
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        DefaultMQProducer p = producer;
        if (p == null || closed) {
            return CompletableFuture.failedFuture(new RetriableException(where + " is " + (closed ? "closed" : "not started")));
        }
        String topic = options.topic().render(record.message().topic());
        if (!RocketMqTopics.VALID.matcher(topic).matches()) {
            return CompletableFuture.failedFuture(new PermanentException(where + ": invalid topic \"" + topic
                    + "\" for a record of " + record.message().topic() + ": RocketMQ topics are 1 to 127 of a-z A-Z 0-9 _ - % |"));
        }
        Message message;
        try {
            message = RocketMqMessages.toRocketMq(record, topic, tag(record));
        } catch (PermanentException e) {
            return CompletableFuture.failedFuture(new PermanentException(where + ": " + e.getMessage()));
        }
        String orderingKey = record.key() != null ? record.key() : "\u0000" + record.source().partition();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            p.send(message, KeyHashSelector.INSTANCE, orderingKey, new SendCallback() {
                @Override
                public void onSuccess(SendResult result) {
                    if (result.getSendStatus() == SendStatus.SEND_OK) {
                        reachable = true;
                        done.complete(null);
                    } else {
                        done.completeExceptionally(new RetriableException(where + ": topic " + topic + " stored the message as "
                                + result.getSendStatus() + " (not flushed or not replicated in time); sending it again"));
                    }
                }

                @Override
                public void onException(Throwable e) {
                    done.completeExceptionally(failed(topic, e));
                }
            }, options.sendTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new RetriableException(where + ": interrupted while sending to " + topic, e));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(failed(topic, e));
        }
        return done;
    }

    private RuntimeException failed(String topic, Throwable e) {
        BridgeException failure = RocketMqFailures.onPublish(where, connection, topic, e);
        if (failure instanceof RetriableException r && r.unavailable()) {
            reachable = false;
        }
        return failure;
    }

    private String tag(OutboundRecord record) {
        String tag = options.tag().orElse(null);
        return RocketMqSinkOptions.SOURCE_TAG.equals(tag) ? RocketMqMessages.sourceTag(record.message()) : tag;
    }

    /** Whether started, not closed, and no send since the last confirmed one failed for want of a broker. */
    @Override
    public boolean connected() {
        return producer != null && !closed && reachable;
    }

    /** Shuts the producer down (it unregisters from the brokers within the operation timeout). */
    @Override
    public void close() {
        closed = true;
        DefaultMQProducer p = producer;
        if (p != null) {
            try {
                p.shutdown();
            } catch (RuntimeException e) {
                LOG.debug("{}: shutting the producer down: {}", where, e.toString());
            }
        }
        ExecutorService pool = senders;
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
