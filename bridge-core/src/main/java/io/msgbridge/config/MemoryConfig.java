package io.msgbridge.config;

/**
 * The daemon's memory budget as configured ({@code memory:}): a size, or a share of the JVM's maximum
 * heap. The budget bounds what records in flight may take, over all pipelines together.
 */
public sealed interface MemoryConfig {
    /** The default: half of the heap; the rest is for the clients' buffers, the JVM and garbage. */
    MemoryConfig DEFAULT = new Share(50);

    /** The budget in bytes for a JVM whose maximum heap is {@code maxHeap} bytes. */
    long bytes(long maxHeap);

    /** What the file said, for logs. */
    String text();

    /** A fixed number of bytes ({@code memory: 96MiB}). */
    record Fixed(long size) implements MemoryConfig {
        @Override
        public long bytes(long maxHeap) {
            return size;
        }

        @Override
        public String text() {
            return Sizes.format(size);
        }
    }

    /** A share of the maximum heap ({@code memory: 40%}). */
    record Share(int percent) implements MemoryConfig {
        @Override
        public long bytes(long maxHeap) {
            return maxHeap / 100 * percent;
        }

        @Override
        public String text() {
            return percent + "% of the heap";
        }
    }

    /** Reads {@code 96MiB} or {@code 40%}. */
    static Parsed<MemoryConfig> parse(String text) {
        if (text.endsWith("%")) {
            try {
                int percent = Integer.parseInt(text.substring(0, text.length() - 1).trim());
                return percent >= 1 && percent <= 90 ? Parsed.ok(new Share(percent))
                        : Parsed.invalid("must be a share of the heap from 1% to 90%, such as 50%");
            } catch (NumberFormatException e) {
                return Parsed.invalid("must be a size such as 96MiB or a share of the heap such as 50%");
            }
        }
        return switch (Sizes.parse(text, 1L << 20)) {
            case Parsed.Ok<Long> ok -> Parsed.ok(new Fixed(ok.value()));
            case Parsed.Invalid<Long> invalid -> Parsed.invalid("must be a size such as 96MiB (at least 1MiB) or a share "
                    + "of the heap such as 50%");
        };
    }
}
