package io.msgbridge.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class InboxTest {

    @Test
    void takesEverythingAddedInEachAddersOrderWithoutMissingAWakeUp() throws Exception {
        Inbox<long[]> inbox = new Inbox<>();
        int adders = 4;
        int each = 200_000;
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < adders; a++) {
            long adder = a;
            // Platform and virtual threads alike add to a lane's inbox (sink callbacks, the pump).
            Thread.Builder builder = a % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            threads.add(builder.start(() -> {
                for (int i = 0; i < each; i++) {
                    inbox.add(new long[] {adder, i});
                    if (i % 1000 == 0) {
                        Thread.yield();
                    }
                }
            }));
        }
        long[] next = new long[adders];
        List<long[]> taken = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int total = 0;
            while (total < adders * each) {
                taken.clear();
                inbox.takeAll(taken);
                assertThat(taken).isNotEmpty();
                for (long[] element : taken) {
                    int adder = (int) element[0];
                    assertThat(element[1]).as("adder %d's next element", adder).isEqualTo(next[adder]);
                    next[adder]++;
                }
                total += taken.size();
            }
        }, "the consumer stopped being woken: a lost wake-up");
        for (Thread t : threads) {
            t.join();
        }
        assertThat(next).containsOnly(each);
    }

    @Test
    void aWaitingConsumerIsWokenByOneAdd() throws Exception {
        Inbox<String> inbox = new Inbox<>();
        AtomicReference<List<String>> got = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread consumer = Thread.ofVirtual().start(() -> {
            List<String> out = new ArrayList<>();
            try {
                inbox.takeAll(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            got.set(out);
            done.countDown();
        });
        awaitWaiting(consumer);

        inbox.add("one");

        assertThat(done.await(10, TimeUnit.SECONDS)).as("woken within 10 s").isTrue();
        assertThat(got.get()).containsExactly("one");
    }

    @Test
    void anInterruptedWaitingConsumerStops() throws Exception {
        Inbox<String> inbox = new Inbox<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                inbox.takeAll(new ArrayList<>());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        awaitWaiting(consumer);

        consumer.interrupt();
        consumer.join(Duration.ofSeconds(10));

        assertThat(consumer.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    private static void awaitWaiting(Thread consumer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (consumer.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("the consumer waits within 10 s; it is %s", consumer.getState()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
