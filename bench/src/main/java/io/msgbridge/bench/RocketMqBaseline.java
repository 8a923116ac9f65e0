package io.msgbridge.bench;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.RPCHook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The baseline's RocketMQ clients (rocketmq-client, used directly), with the settings of the bridge's
 * RocketMQ backend and its defaults: operation timeout 3 s, two callback threads, no VIP channel, requests
 * signed with the credentials in {@link RocketMqEndpoints#ACCESS_KEY_VARIABLE} and
 * {@link RocketMqEndpoints#SECRET_KEY_VARIABLE}. Source: a lite pull consumer assigned every queue of the
 * topic from its first message, pulls of at most min(32, in-flight limit) messages, at most the in-flight
 * limit of messages fetched and not taken (a share of it, and 1 MiB, per queue: the bridge's read-ahead
 * with the daemon's defaults spread over the queues); before each poll it sets, per queue, the offset
 * after the contiguous prefix of records the sink confirmed as the group's, which the client writes to
 * the broker on its own schedule. Sink: a producer sending asynchronously on two sender threads, send
 * timeout 5 s, the client's retries off, to the queue of the key's hash; each message carries the key as
 * its keys and as {@code SHARDING_KEY}, as the bridge's sink writes them. A failed send (a busy broker
 * refuses sends that waited in its queue for 200 ms) is sent again after the bridge's default retry backoff;
 * the key's next message waits for it, as in the bridge.
 */
final class RocketMqBaseline {
    private static final int PULL_BATCH = 32;
    /** The bridge's RocketMQ source's read-ahead with the daemon's defaults: a quarter of the pipeline's 32 MiB in-flight bytes. */
    private static final long READ_AHEAD = 8L << 20;
    private static final long MIB = 1L << 20;
    private static final int OPERATION_TIMEOUT_MS = 3000;
    private static final int SEND_TIMEOUT_MS = 5000;
    private static final int SENDER_THREADS = 2;
    private static final int MAX_MESSAGE_SIZE = 4 << 20;
    /** The bridge's default {@code retry:}: 5 attempts, backoff from 200 ms doubling up to 30 s (without its jitter). */
    private static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 30_000;
    /** The sharding key property the bridge writes and reads (the Go client's {@code primitive.PropertyShardingKey}). */
    private static final String SHARDING_KEY = "SHARDING_KEY";
    private static final MessageQueueSelector BY_KEY = (queues, message, key) -> queues.get(queueIndex((String) key, queues.size()));

    private RocketMqBaseline() {
    }

    /** {@code spec}: {@code HOST:PORT/TOPIC}. */
    static BaselineMain.Source source(String spec, int maxInFlight) throws MQClientException {
        String topic = topic(spec);
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("baseline", rpcHook());
        configure(consumer, spec, "baseline-source");
        consumer.setAutoCommit(false);
        int batch = Math.max(1, Math.min(PULL_BATCH, maxInFlight));
        consumer.setPullBatchSize(batch);
        consumer.setPullThresholdForAll(Math.max(batch, maxInFlight));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.start();
        Collection<MessageQueue> queues = consumer.fetchMessageQueues(topic);
        consumer.setPullThresholdForQueue(Math.max(batch, maxInFlight / queues.size()));
        consumer.setPullThresholdSizeForQueue((int) Math.max(1, READ_AHEAD / queues.size() / MIB));
        consumer.assign(queues);
        DonePrefixes<MessageQueue> done = new DonePrefixes<>();
        return new BaselineMain.Source() {
            private Iterator<MessageExt> polled = Collections.emptyIterator();

            @Override
            public BaselineMain.Received next(Duration timeout) {
                if (!polled.hasNext()) {
                    Map<MessageQueue, Long> offsets = done.take();
                    if (!offsets.isEmpty()) {
                        consumer.commit(offsets, false);
                    }
                    polled = consumer.poll(timeout.toMillis()).iterator();
                    if (!polled.hasNext()) {
                        return null;
                    }
                }
                MessageExt m = polled.next();
                MessageQueue queue = new MessageQueue(m.getTopic(), m.getBrokerName(), m.getQueueId());
                return new BaselineMain.Received(m.getTopic(), m.getBody(), key(m),
                        m.getTopic() + "/" + m.getBrokerName() + "/" + m.getQueueId() + "/" + m.getQueueOffset(),
                        done.read(queue, m.getQueueOffset()));
            }

            @Override
            public void close() {
                consumer.shutdown();
            }
        };
    }

    /**
     * {@code spec}: {@code HOST:PORT/TOPIC}. With {@code keyHeader} each message also carries its key in the
     * user property {@link Payloads#KEY_HEADER}: the bridge copies a NATS source's headers, that one among them.
     *
     * <p>One message of a key at a time, as the bridge's RocketMQ sink publishes them: rocketmq-client hands
     * asynchronous sends to a pool of sender threads and the broker stores one connection's sends on
     * several threads, so two sends of a key in flight together may be stored in either order. A loop that
     * keeps a key's order, as the bridge does, has to wait for each send of the key before the next; without
     * that the baseline would be measuring a loop that may reorder a key's messages, a cheaper job than the
     * bridge's. Messages of other keys are in flight together, as in the bridge.
     */
    static BaselineMain.Sink sink(String spec, boolean keyHeader) throws MQClientException {
        String topic = topic(spec);
        DefaultMQProducer producer = new DefaultMQProducer("baseline", rpcHook());
        configure(producer, spec, "baseline-sink");
        producer.setSendMsgTimeout(SEND_TIMEOUT_MS);
        producer.setRetryTimesWhenSendFailed(0);
        producer.setRetryTimesWhenSendAsyncFailed(0);
        producer.setRetryAnotherBrokerWhenNotStoreOK(false);
        producer.setSendLatencyFaultEnable(false);
        producer.setMaxMessageSize(MAX_MESSAGE_SIZE);
        ExecutorService senders = Executors.newFixedThreadPool(SENDER_THREADS, r -> {
            Thread t = new Thread(r, "baseline-rocketmq-send");
            t.setDaemon(true);
            return t;
        });
        producer.setAsyncSenderExecutor(senders);
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baseline-rocketmq-retry");
            t.setDaemon(true);
            return t;
        });
        producer.start();
        KeyChains chains = new KeyChains();
        return new BaselineMain.Sink() {
            @Override
            public CompletableFuture<?> publish(BaselineMain.Received record) {
                Message message = new Message(topic, record.payload());
                String key = record.key();
                if (key == null) {
                    return send(message, "\u0000" + record.subject());
                }
                if (keyHeader) {
                    message.putUserProperty(Payloads.KEY_HEADER, key);
                }
                message.setKeys(key);
                message.putUserProperty(SHARDING_KEY, key);
                return chains.after(key, () -> send(message, key));
            }

            private CompletableFuture<Void> send(Message message, String orderingKey) {
                CompletableFuture<Void> stored = new CompletableFuture<>();
                attempt(message, orderingKey, 1, stored);
                return stored;
            }

            /** Sends, and on a failure sends again after the bridge's default backoff, as often as its default attempts. */
            private void attempt(Message message, String orderingKey, int attempt, CompletableFuture<Void> stored) {
                try {
                    producer.send(message, BY_KEY, orderingKey, new SendCallback() {
                        @Override
                        public void onSuccess(SendResult result) {
                            if (result.getSendStatus() == SendStatus.SEND_OK) {
                                stored.complete(null);
                            } else {
                                failed(new IllegalStateException("send to " + topic + ": " + result.getSendStatus()));
                            }
                        }

                        @Override
                        public void onException(Throwable e) {
                            failed(e);
                        }

                        private void failed(Throwable e) {
                            if (attempt >= ATTEMPTS) {
                                stored.completeExceptionally(e);
                            } else {
                                long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (attempt - 1));
                                retries.schedule(() -> attempt(message, orderingKey, attempt + 1, stored), backoff, TimeUnit.MILLISECONDS);
                            }
                        }
                    }, SEND_TIMEOUT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stored.completeExceptionally(e);
                } catch (Exception e) {
                    stored.completeExceptionally(e);
                }
            }

            @Override
            public void close() {
                retries.shutdownNow();
                producer.shutdown();
                senders.shutdownNow();
            }
        };
    }

    /**
     * The queue of {@code key} among {@code queues}: FNV-1a (32 bits) of its UTF-8 bytes modulo the number
     * of queues, as the bridge's sink picks it (and the Go client's {@code NewHashQueueSelector}), so both
     * variants spread the keys over the queues alike.
     */
    static int queueIndex(String key, int queues) {
        int hash = 0x811c9dc5;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return (int) (Integer.toUnsignedLong(hash) % queues);
    }

    /** A message's key as the bridge reads it: {@code SHARDING_KEY} where set, else the message keys; null without either. */
    static String key(MessageExt m) {
        String sharding = m.getProperty(SHARDING_KEY);
        if (sharding != null && !sharding.isEmpty()) {
            return sharding;
        }
        String keys = m.getProperty(MessageConst.PROPERTY_KEYS);
        return keys == null || keys.isBlank() ? null : keys.strip();
    }

    private static void configure(ClientConfig client, String spec, String instance) {
        client.setNamesrvAddr(spec.substring(0, spec.indexOf('/')));
        client.setInstanceName(instance + "_" + ProcessHandle.current().pid());
        client.setMqClientApiTimeout(OPERATION_TIMEOUT_MS);
        client.setVipChannelEnabled(false);
        client.setClientCallbackExecutorThreads(2);
    }

    private static String topic(String spec) {
        int slash = spec.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected rocketmq:HOST:PORT/TOPIC, got rocketmq:" + spec);
        }
        return spec.substring(slash + 1);
    }

    private static RPCHook rpcHook() {
        return new AclClientRPCHook(new SessionCredentials(environment(RocketMqEndpoints.ACCESS_KEY_VARIABLE),
                environment(RocketMqEndpoints.SECRET_KEY_VARIABLE)));
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the environment variable " + name + " is not set");
        }
        return value;
    }

    /**
     * Per key, the last send: a key's next message is sent once it is confirmed (see {@link #sink}).
     * A key is forgotten once its last send completed, so the map holds only keys with a send in flight.
     * Thread-safe: messages are published on the loop's thread, sends complete on the client's.
     */
    private static final class KeyChains {
        private final Map<String, CompletableFuture<Void>> last = new HashMap<>();

        synchronized CompletableFuture<Void> after(String key, Supplier<CompletableFuture<Void>> send) {
            CompletableFuture<Void> previous = last.get(key);
            CompletableFuture<Void> sent = previous == null ? send.get() : previous.thenCompose(ignored -> send.get());
            last.put(key, sent);
            sent.whenComplete((ignored, error) -> forget(key, sent));
            return sent;
        }

        private synchronized void forget(String key, CompletableFuture<Void> sent) {
            last.remove(key, sent);
        }
    }
}
