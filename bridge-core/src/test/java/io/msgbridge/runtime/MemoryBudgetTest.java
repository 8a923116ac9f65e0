package io.msgbridge.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryBudgetTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aRecordCostsItsBytesPlusTheOverheadBelowHalfARegion() {
        assertThat(MemoryBudget.cost(1024, 2 * MIB)).isEqualTo(1024 + MemoryBudget.RECORD_OVERHEAD);
        assertThat(MemoryBudget.cost(512 * 1024, 2 * MIB)).isEqualTo(512 * 1024 + MemoryBudget.RECORD_OVERHEAD);
    }

    @Test
    void aRecordOfHalfARegionOrMoreCostsTheWholeRegionsG1StoresItIn() {
        assertThat(MemoryBudget.cost(512 * 1024, MIB)).as("512 KiB and an array header in 1 MiB regions")
                .isEqualTo(MIB + MemoryBudget.RECORD_OVERHEAD);
        assertThat(MemoryBudget.cost(MIB, 2 * MIB)).isEqualTo(2 * MIB + MemoryBudget.RECORD_OVERHEAD);
        assertThat(MemoryBudget.cost(5 * MIB, 2 * MIB)).isEqualTo(6 * MIB + MemoryBudget.RECORD_OVERHEAD);
    }

    @Test
    void withoutG1ARecordCostsItsBytesPlusTheOverhead() {
        assertThat(MemoryBudget.cost(5 * MIB, 0)).isEqualTo(5 * MIB + MemoryBudget.RECORD_OVERHEAD);
    }

    @Test
    void aBudgetOfMoreThanSixtyPercentOfTheHeapIsWarnedAboutNamingTheHeapToSet() {
        assertThat(new MemoryBudget(96 * MIB).heapWarning(160 * MIB)).isEmpty();
        assertThat(new MemoryBudget(80 * MIB).heapWarning(160 * MIB)).as("the default, half the heap").isEmpty();
        assertThat(new MemoryBudget(200 * MIB).heapWarning(160 * MIB)).hasValueSatisfying(warning -> assertThat(warning)
                .contains("the memory budget of 200MiB is 125% of the JVM's 160 MiB heap, more than 60%")
                .contains("raise -Xmx in config/jvm.options (or BRIDGE_JAVA_OPTS=-Xmx...) to at least 334m, or lower memory:"));
    }
}
