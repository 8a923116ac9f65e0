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
}
