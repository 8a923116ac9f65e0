package io.msgbridge.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InFlightLimiterTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    /** A limiter of 320 records (a refill of 10) that is full. */
    private static InFlightLimiter full() {
        InFlightLimiter limiter = new InFlightLimiter(320, 1L << 30, new MemoryBudget(1L << 40));
        for (int i = 0; i < 320; i++) {
            assertThat(tryAcquire(limiter, 1)).isTrue();
        }
        return limiter;
    }

    @Test
    void aFullPipelinePollsAgainOnceARefillIsDone() throws Exception {
        InFlightLimiter limiter = full();
        CompletableFuture<Integer> room = CompletableFuture.supplyAsync(() -> awaitRoom(limiter, LONG));
        for (int i = 0; i < 9; i++) {
            limiter.release(1, 1);
        }
        Thread.sleep(100);
        assertThat(room).as("room for 9 records is less than a refill").isNotDone();

        limiter.release(1, 1);
        assertThat(room.get(10, TimeUnit.SECONDS)).isEqualTo(10);
    }

    @Test
    void aFullPipelineTakesWhatRoomThereIsWhenNoRefillIsDoneInTime() {
        InFlightLimiter limiter = full();
        limiter.release(1, 1);
        limiter.release(1, 1);

        assertThat(awaitRoom(limiter, Duration.ofMillis(50))).isEqualTo(2);
    }

    @Test
    void aFullPipelineGetsNoRoomWhenNothingIsDoneInTime() {
        assertThat(awaitRoom(full(), Duration.ofMillis(50))).isZero();
    }

    @Test
    void pipelinesShareTheMemoryBudgetAndEachAlwaysGetsRoomForOneRecord() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        InFlightLimiter first = new InFlightLimiter(100, 1L << 20, budget);
        InFlightLimiter second = new InFlightLimiter(100, 1L << 20, budget);
        assertThat(first.tryAcquire(new long[] {400, 500}, 0)).isEqualTo(2);

        assertThat(second.tryAcquire(new long[] {600}, 0)).as("a pipeline holding nothing takes one record").isEqualTo(1);
        assertThat(second.tryAcquire(new long[] {50}, 0)).as("the budget is spent").isZero();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return second.acquire(50, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(waiting).isNotDone();

        first.release(2, 900);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).as("room freed by the other pipeline").isTrue();
        assertThat(budget.used()).isEqualTo(600 + 50);
    }

    @Test
    void takesNoMoreRecordsThanTheBoundWhenAPollReturnsMoreThanItWasAskedFor() {
        InFlightLimiter limiter = new InFlightLimiter(5, 1L << 30, new MemoryBudget(1L << 40));
        long[] eightRecords = new long[8];

        assertThat(limiter.tryAcquire(eightRecords, 0)).isEqualTo(5);
        assertThat(limiter.records()).isEqualTo(5);
        assertThat(limiter.tryAcquire(eightRecords, 5)).isZero();
    }

    @Test
    void aRecordWhoseBytesDoNotFitWaitsUntilEnoughAreReleased() throws Exception {
        InFlightLimiter limiter = new InFlightLimiter(100, 1000, new MemoryBudget(1L << 40));
        assertThat(tryAcquire(limiter, 600)).isTrue();
        assertThat(tryAcquire(limiter, 600)).isFalse();
        assertThat(limiter.acquire(600, Duration.ofMillis(100))).as("no room within the timeout").isFalse();
        CompletableFuture<Boolean> acquired = CompletableFuture.supplyAsync(() -> {
            try {
                return limiter.acquire(600, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        limiter.release(1, 600);
        assertThat(acquired.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(limiter.bytes()).isEqualTo(600);
        assertThat(limiter.records()).isEqualTo(1);
    }

    @Test
    void aRecordLargerThanTheByteBoundGoesThroughAlone() {
        InFlightLimiter limiter = new InFlightLimiter(100, 1000, new MemoryBudget(1L << 40));
        assertThat(tryAcquire(limiter, 5000)).isTrue();
        assertThat(tryAcquire(limiter, 1)).isFalse();
        limiter.release(1, 5000);
        assertThat(tryAcquire(limiter, 1)).isTrue();
    }

    @Test
    void drainingEndsWhenTheLastRecordIsReleased() {
        InFlightLimiter limiter = full();
        CompletableFuture<Boolean> empty = CompletableFuture.supplyAsync(() -> {
            try {
                return limiter.awaitEmpty(LONG);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 320; i++) {
            limiter.release(1, 1);
        }
        await().atMost(LONG).untilAsserted(() -> assertThat(empty).isCompletedWithValue(true));
    }

    @Test
    void aPollsRecordsAreTakenInOrderAsFarAsTheirBytesFit() {
        InFlightLimiter limiter = new InFlightLimiter(100, 1000, new MemoryBudget(1L << 40));
        long[] polled = {300, 300, 300, 300, 200};

        assertThat(limiter.tryAcquire(polled, 0)).as("the fourth does not fit, nor does what comes after it").isEqualTo(3);
        assertThat(limiter.bytes()).isEqualTo(900);
        assertThat(limiter.tryAcquire(polled, 3)).isZero();
        limiter.release(1, 300);
        assertThat(limiter.tryAcquire(polled, 3)).isEqualTo(1);
        assertThat(limiter.tryAcquire(polled, 4)).isZero();
        assertThat(limiter.records()).isEqualTo(3);
    }

    private static boolean tryAcquire(InFlightLimiter limiter, long bytes) {
        return limiter.tryAcquire(new long[] {bytes}, 0) == 1;
    }

    private static int awaitRoom(InFlightLimiter limiter, Duration timeout) {
        try {
            return limiter.awaitRoom(timeout);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
