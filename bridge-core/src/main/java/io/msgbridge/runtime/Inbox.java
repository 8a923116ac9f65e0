package io.msgbridge.runtime;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A lane's inbox: any number of threads add (the pump, sink callback threads, the retry timer, an
 * operator's request), one thread takes (the lane's). Unbounded: what a lane is sent is bounded by the
 * pipeline's room in flight. Lock-free, and a consumer is woken only when it is waiting: an add is a
 * compare-and-set, and a sink callback thread that completes a publish never waits for a lock the lane
 * holds (a {@code LinkedBlockingQueue} takes a lock on each add, and another on the add that finds it
 * empty, to signal). The consumer announces that it is about to wait and looks once more before it
 * parks; an adder adds and then looks whether it must wake the consumer; one of the two sees the other.
 *
 * @param <E> the element type
 */
final class Inbox<E> {
    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile Thread consumer;

    /** Adds an element; wakes the consumer if it waits. Any thread; never blocks. */
    void add(E element) {
        queue.add(element);
        if (waiting.get() && waiting.compareAndSet(true, false)) {
            LockSupport.unpark(consumer);
        }
    }

    /**
     * Moves every element there is into {@code out}, in the order they were added, waiting for one if
     * there is none. Only the consumer thread calls it.
     *
     * @throws InterruptedException when the consumer thread is interrupted while it waits
     */
    void takeAll(List<E> out) throws InterruptedException {
        consumer = Thread.currentThread();
        drainTo(out);
        while (out.isEmpty()) {
            waiting.set(true);
            if (queue.isEmpty()) {
                LockSupport.park(this);
            }
            waiting.set(false);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            drainTo(out);
        }
    }

    private void drainTo(List<E> out) {
        E element;
        while ((element = queue.poll()) != null) {
            out.add(element);
        }
    }
}
