package io.msgbridge.offsets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and atomically writes an {@link OffsetsDocument} as JSON. */
final class OffsetsFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final AtomicFile file;

    OffsetsFile(Path path) {
        this.file = new AtomicFile(path);
    }

    AtomicFile atomicFile() {
        return file;
    }

    Path path() {
        return file.path();
    }

    /** The stored document, {@link OffsetsDocument#EMPTY} when there is no file yet. */
    OffsetsDocument read() throws OffsetStoreException {
        Optional<byte[]> content;
        try {
            content = file.read();
        } catch (IOException e) {
            throw new OffsetStoreException("cannot read offsets file " + path() + ": " + e.getMessage(), true, e);
        }
        if (content.isEmpty()) {
            return OffsetsDocument.EMPTY;
        }
        try {
            OffsetsDocument document = JSON.readValue(content.get(), OffsetsDocument.class);
            if (document.version() != OffsetsDocument.VERSION) {
                throw corrupt("format version " + document.version() + " is not supported (this msgbridge reads "
                        + OffsetsDocument.VERSION + ")", null);
            }
            return document;
        } catch (JacksonException e) {
            throw corrupt(describe(e), e);
        } catch (IOException e) {
            throw new OffsetStoreException("cannot read offsets file " + path() + ": " + e.getMessage(), true, e);
        }
    }

    void write(OffsetsDocument document) throws OffsetStoreException {
        try {
            file.write(JSON.writeValueAsBytes(document));
        } catch (IOException e) {
            throw new OffsetStoreException("cannot write offsets file " + path() + ": " + e.getMessage()
                    + "; the previous state is kept", true, e);
        }
    }

    /** Jackson's own words and where, without its source excerpt notice or reference chain. */
    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        int end = message.indexOf('\n');
        String what = end < 0 ? message : message.substring(0, end);
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? what
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + what;
    }

    private OffsetStoreException corrupt(String why, Exception cause) {
        return new OffsetStoreException("offsets file " + path() + " is not valid: " + why
                + "; fix or move it away (positions will then start over)", false, cause);
    }
}
