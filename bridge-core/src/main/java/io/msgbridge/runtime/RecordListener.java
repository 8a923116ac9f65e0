package io.msgbridge.runtime;

import io.msgbridge.spi.Stage;

import java.util.List;

/** What a lane tells its pipeline about records. Called on lane threads; must not block. */
interface RecordListener {

    /**
     * The sink confirmed the record, which its lane noticed at {@code nowNanos} (nanoseconds since the
     * epoch): it is done.
     */
    void delivered(InFlightRecord record, long nowNanos);

    /** The dead-letter route confirmed the record: it is done. */
    void deadLettered(InFlightRecord record);

    /**
     * Done records (delivered or dead-lettered) may be committed, acknowledged to their source, and their
     * room in flight freed; told once per record, after {@link #delivered} or {@link #deadLettered}, for
     * all the records a lane finished in one pass at once.
     */
    void settled(List<InFlightRecord> records);

    /** An attempt failed at {@code stage}; what happens next has been decided already. */
    void failed(InFlightRecord record, Stage stage, Throwable error);

    /** The record cannot move now (dead-letter route refused it, or there is none); told once per stall. */
    void holding(InFlightRecord record, String reason);

    /** A record that was holding moved on (delivered or dead-lettered). */
    void released(InFlightRecord record);
}
