package io.msgbridge.runtime;

import io.msgbridge.spi.Stage;

import java.time.Instant;

/** What a lane tells its pipeline about records. Called on lane threads; must not block. */
interface RecordListener {

    /** The sink confirmed the record, which its lane noticed at {@code now}: it is done. */
    void delivered(InFlightRecord record, Instant now);

    /** The dead-letter route confirmed the record: it is done. */
    void deadLettered(InFlightRecord record);

    /**
     * A done record (delivered or dead-lettered) may be acknowledged to its source, and its room in
     * flight freed; told once per record, after {@link #delivered} or {@link #deadLettered}.
     */
    void settled(InFlightRecord record);

    /** An attempt failed at {@code stage}; what happens next has been decided already. */
    void failed(InFlightRecord record, Stage stage, Throwable error);

    /** The record cannot move now (dead-letter route refused it, or there is none); told once per stall. */
    void holding(InFlightRecord record, String reason);

    /** A record that was holding moved on (delivered or dead-lettered). */
    void released(InFlightRecord record);
}
