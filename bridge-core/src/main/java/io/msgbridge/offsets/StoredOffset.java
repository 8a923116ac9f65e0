package io.msgbridge.offsets;

import io.msgbridge.spi.Position;

import java.time.Instant;

/**
 * One pipeline partition's committed state.
 *
 * @param pipeline    the pipeline
 * @param position    the watermark: every record up to and including it is done
 * @param records     how many records of this partition have been committed, over the pipeline's life
 * @param committedAt when it was committed
 */
public record StoredOffset(String pipeline, Position position, long records, Instant committedAt) {
    public String partition() {
        return position.partition();
    }
}
