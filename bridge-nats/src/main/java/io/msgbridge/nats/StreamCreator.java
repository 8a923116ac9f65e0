package io.msgbridge.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;

/** Creates a sink's {@code create-stream} when it is missing; an existing stream is left as it is. */
final class StreamCreator {
    private static final int STREAM_NOT_FOUND = 10059;

    private StreamCreator() {
    }

    /** Returns true when the stream was created, false when it existed. */
    static boolean ensure(JetStreamManagement jsm, CreateStreamOptions stream) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(stream.name());
            return false;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
        }
        jsm.addStream(StreamConfiguration.builder()
                .name(stream.name())
                .subjects(stream.subjects())
                .storageType(stream.storage() == CreateStreamOptions.Storage.MEMORY ? StorageType.Memory : StorageType.File)
                .duplicateWindow(stream.duplicateWindow())
                .maxAge(stream.maxAge())
                .build());
        return true;
    }
}
