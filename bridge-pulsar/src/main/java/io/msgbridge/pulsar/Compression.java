package io.msgbridge.pulsar;

import org.apache.pulsar.client.api.CompressionType;

/** A sink's {@code compression}. */
public enum Compression {
    NONE(CompressionType.NONE),
    LZ4(CompressionType.LZ4),
    ZSTD(CompressionType.ZSTD);

    private final CompressionType pulsar;

    Compression(CompressionType pulsar) {
        this.pulsar = pulsar;
    }

    CompressionType pulsar() {
        return pulsar;
    }
}
