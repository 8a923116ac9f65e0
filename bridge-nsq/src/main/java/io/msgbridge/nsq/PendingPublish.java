package io.msgbridge.nsq;

import java.util.concurrent.CompletableFuture;

/**
 * One record waiting to be written or confirmed.
 *
 * @param topic  the rendered NSQ topic
 * @param body   the payload
 * @param id     the record's id, to remember it when a batch it was in is refused
 * @param result completed when nsqd answered its command
 */
record PendingPublish(String topic, byte[] body, String id, CompletableFuture<Void> result) {
}
