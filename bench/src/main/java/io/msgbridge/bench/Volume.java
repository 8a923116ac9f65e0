package io.msgbridge.bench;

/**
 * What one run of a scenario sends: {@code warmUp} records and then {@code records} measured ones, each
 * a payload of {@code payloads}' size.
 *
 * @param payloads the records' payloads (their size)
 * @param warmUp   records sent before the measured ones (see {@link Bench#WARM_UP})
 * @param records  measured records per run
 */
record Volume(Payloads payloads, int warmUp, int records) {
    /** Measured records per run of 1 KiB ({@code bench.records}). */
    static final int RECORDS = Integer.getInteger("bench.records", 500_000);
    /** The suite's default: 1 KiB records, the suite's warm-up and measured counts. */
    static final Volume DEFAULT = new Volume(Payloads.KIB, Bench.WARM_UP, RECORDS);

    Volume {
        if (warmUp < 0 || records < 1) {
            throw new IllegalArgumentException("a run sends 0 or more warm-up records and at least 1 measured, not " + warmUp + " and " + records);
        }
    }

    /**
     * Records of {@code payloadBytes} carrying as many bytes as {@link #DEFAULT}'s, in the warm-up and in
     * the measured part alike (rounded up): the suite's counts ({@code bench.records},
     * {@code bench.warmup.records}) are of 1 KiB records, and at 512 KiB their number is neither what a
     * run can store nor needed. A large record's cost is mostly in its bytes (copies, socket writes),
     * which the same bytes warm up as well; its per-record code runs fewer times, so what compiling still
     * costs in the measured window shows in the report's JIT column.
     */
    static Volume sameBytes(int payloadBytes) {
        Payloads payloads = new Payloads(payloadBytes);
        return new Volume(payloads, sameBytes(DEFAULT.warmUp(), payloadBytes), sameBytes(DEFAULT.records(), payloadBytes));
    }

    private static int sameBytes(int records, int payloadBytes) {
        return (int) Math.ceilDiv((long) records * DEFAULT.payloads().size(), payloadBytes);
    }

    /** Warm-up and measured records. */
    int total() {
        return warmUp + records;
    }
}
