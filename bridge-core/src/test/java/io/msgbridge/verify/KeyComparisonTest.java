package io.msgbridge.verify;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KeyComparisonTest {
    private static final KeyComparison.Elsewhere NOWHERE = new KeyComparison.Elsewhere(Set.of(), Set.of());

    private static KeyRecords records(String... payloads) {
        KeyRecords records = new KeyRecords();
        for (int i = 0; i < payloads.length; i++) {
            records.add(KeyRecords.digestOf(payloads[i].getBytes(StandardCharsets.UTF_8)), 0, i + 1);
        }
        return records;
    }

    private static KeyComparison.Result compare(KeyRecords source, KeyRecords sink, KeyComparison.Elsewhere elsewhere) {
        return KeyComparison.compare("k", true, source, sink, elsewhere, p -> "S");
    }

    @Test
    void theSameRecordsInTheSameOrderAreCompleteWithEqualChecksums() {
        KeyComparison.Result result = compare(records("a", "b", "c"), records("a", "b", "c"), NOWHERE);

        assertThat(result.complete()).isTrue();
        assertThat(result.difference()).isEmpty();
        assertThat(result.sourceChecksum()).isEqualTo(result.sinkChecksum()).hasSize(16);
    }

    @Test
    void aReplayedStretchCountsAsDuplicatesAndTheLastCopiesAreCompared() {
        KeyComparison.Result result = compare(records("a", "b", "c", "d"), records("a", "b", "c", "b", "c", "d"), NOWHERE);

        assertThat(result.complete()).isTrue();
        assertThat(result.duplicates()).isEqualTo(2);
        assertThat(result.sinkChecksum()).isEqualTo(result.sourceChecksum());
    }

    @Test
    void aRecordMissingAtTheSinkIsNamedByItsSourcePosition() {
        KeyComparison.Result result = compare(records("a", "b", "c"), records("a", "c"), NOWHERE);

        assertThat(result.complete()).isFalse();
        assertThat(result.missing()).isEqualTo(1);
        assertThat(result.difference()).isEqualTo("1 source record not at the sink (first: S@2)");
        assertThat(result.sinkChecksum()).isNotEqualTo(result.sourceChecksum());
    }

    @Test
    void recordsThatAreAllThereButOutOfOrderAreNotComplete() {
        KeyComparison.Result result = compare(records("a", "b", "c"), records("b", "a", "c"), NOWHERE);

        assertThat(result.complete()).isFalse();
        assertThat(result.difference()).isEqualTo("every record there but not in source order (from S@1)");
    }

    @Test
    void sinkRecordsAfterTheCommitOrNotFromTheSourceAreToldApart() {
        KeyComparison.Elsewhere elsewhere = new KeyComparison.Elsewhere(
                Set.of(KeyRecords.digestOf("d".getBytes(StandardCharsets.UTF_8))), Set.of());

        KeyComparison.Result result = compare(records("a", "b"), records("a", "b", "d", "x"), elsewhere);

        assertThat(result.complete()).isTrue();
        assertThat(result.afterCommit()).isEqualTo(1);
        assertThat(result.extra()).isEqualTo(1);
        assertThat(result.difference()).isEqualTo("1 at the sink not from the source");
    }

    @Test
    void recordsWithoutOrderCompareAsAMultiset() {
        KeyComparison.Result result = KeyComparison.compare("(no key)", false, records("a", "b", "b"), records("b", "a", "b"),
                NOWHERE, p -> "S");

        assertThat(result.complete()).isTrue();
        assertThat(result.sinkChecksum()).isEqualTo(result.sourceChecksum());
    }
}
