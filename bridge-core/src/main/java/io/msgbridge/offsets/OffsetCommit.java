package io.msgbridge.offsets;

import io.msgbridge.spi.Position;

/**
 * One partition's new watermark, to be committed.
 *
 * @param position     the new watermark
 * @param recordsAdded records of this partition done since the previous commit
 */
public record OffsetCommit(Position position, long recordsAdded) {
}
