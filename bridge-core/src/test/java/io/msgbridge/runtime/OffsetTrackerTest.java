package io.msgbridge.runtime;

import io.msgbridge.offsets.OffsetCommit;
import io.msgbridge.spi.Position;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {

    private static Position at(String partition, long n) {
        return new Position(partition, Long.toString(n), n);
    }

    @Test
    void commitsOnlyTheContiguousDonePrefix() {
        OffsetTracker tracker = new OffsetTracker();
        List<OffsetTracker.Ticket> tickets = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            tickets.add(tracker.register(at("p", i), 0));
        }
        tickets.get(1).done();
        tickets.get(2).done();
        tickets.get(4).done();
        assertThat(tracker.pending()).isEmpty();

        tickets.get(0).done();
        assertThat(tracker.pending()).containsExactly(new OffsetCommit(at("p", 3), 3));

        tickets.get(3).done();
        assertThat(tracker.pending()).containsExactly(new OffsetCommit(at("p", 5), 5));
    }

    @Test
    void keepsCommitsPendingUntilConfirmedAndCountsOnlyNewRecordsAfterward() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket a = tracker.register(at("p", 1), 0);
        OffsetTracker.Ticket b = tracker.register(at("p", 2), 0);
        a.done();
        List<OffsetCommit> first = tracker.pending();
        b.done();
        tracker.committed(first);

        assertThat(tracker.pending()).containsExactly(new OffsetCommit(at("p", 2), 1));
    }

    @Test
    void tracksEachPartitionOnItsOwn() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Ticket a1 = tracker.register(at("a", 1), 0);
        OffsetTracker.Ticket b1 = tracker.register(at("b", 1), 0);
        tracker.register(at("a", 2), 0);
        b1.done();
        assertThat(tracker.watermarks()).containsOnlyKeys("b");
        a1.done();
        assertThat(tracker.watermarks()).containsEntry("a", at("a", 1)).containsEntry("b", at("b", 1));
    }

    @Test
    void reachesTheLastPositionWhateverOrderCompletionsArriveIn() throws InterruptedException {
        OffsetTracker tracker = new OffsetTracker();
        List<OffsetTracker.Ticket> tickets = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            tickets.add(tracker.register(at("p", i), 0));
        }
        Collections.shuffle(tickets, new Random(7));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<OffsetTracker.Ticket> share = tickets.subList(t * 2500, (t + 1) * 2500);
            threads.add(Thread.ofVirtual().start(() -> share.forEach(OffsetTracker.Ticket::done)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(tracker.pending()).containsExactly(new OffsetCommit(at("p", 10_000), 10_000));
    }
}
