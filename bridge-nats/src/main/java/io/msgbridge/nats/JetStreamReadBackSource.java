package io.msgbridge.nats;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads back what a JetStream sink wrote, or what a JetStream source reads (see {@link JetStreamReadBack}):
 * {@code STREAM.MSG.GET} with {@code next_by_subj} from the sequence after the stored one, up to the
 * stream's last sequence when {@link #start} ran. As a tap ({@link io.msgbridge.spi.Connector.SinkSpec#tap})
 * it starts at the stream's first or after its last sequence and has no end: once caught up it asks again on
 * every poll. Position: partition = stream, offset and sequence = stream sequence (as {@link JetStreamSource}
 * gives them). Nothing is acknowledged or removed.
 */
final class JetStreamReadBackSource implements Source {
    private static final int NO_MESSAGE_FOUND = 10037;
    private static final int MAX_PER_POLL = 256;

    private final NatsConnectionOptions connection;
    private final String subject;
    private final StreamChoice choice;
    /** Empty for a read-back; where a tap starts. */
    private final Optional<Connector.TapFrom> tap;
    private final NatsMessageMapper mapper;
    private volatile Connection nats;
    private JetStreamManagement jsm;
    private String stream;
    private long after;
    private volatile long end;
    private volatile boolean exhausted;
    private String where = "nats read-back";

    /**
     * Which stream is read: {@code stream} itself when {@code named}, else the stream that captures the
     * subject, or {@code stream} (the one a sink creates) when none does yet.
     */
    record StreamChoice(Optional<String> stream, boolean named) {
        static StreamChoice named(String stream) {
            return new StreamChoice(Optional.of(stream), true);
        }

        static StreamChoice capturing(Optional<String> orElse) {
            return new StreamChoice(orElse, false);
        }
    }

    JetStreamReadBackSource(NatsConnectionOptions connection, String subject, StreamChoice choice,
                            Optional<Connector.TapFrom> tap) {
        this.connection = connection;
        this.subject = subject;
        this.choice = choice;
        this.tap = tap;
        this.mapper = new NatsMessageMapper(connection.keyHeader());
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        where = context.pipeline() + ": nats " + (tap.isPresent() ? "tap" : "read-back") + " of " + subject + " on " + connection.describe();
        Connection conn = NatsConnectionFactory.connect(connection, context.pipeline(),
                new ConnectionEvents(context.pipeline(), "read-back", connection), ConnectionUse.RECEIVER);
        try {
            jsm = conn.jetStreamManagement();
            stream = streamOf(jsm);
            long last = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
            if (tap.isPresent()) {
                end = Long.MAX_VALUE;
                after = tap.get() == Connector.TapFrom.START ? 0 : last;
            } else {
                end = last;
                Position stored = context.stored().get(stream);
                after = stored != null && stored.hasSequence() ? stored.sequence() : 0;
                exhausted = after >= end;
            }
            nats = conn;
        } catch (IOException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw new RetriableException(where + ": " + e.getMessage(), e);
        } catch (JetStreamApiException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw new PermanentException(where + ": JetStream refused: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw e;
        }
    }

    private String streamOf(JetStreamManagement management) throws IOException, JetStreamApiException {
        if (choice.named()) {
            return choice.stream().orElseThrow();
        }
        List<String> names = management.getStreamNames(subject);
        if (!names.isEmpty()) {
            return names.getFirst();
        }
        return choice.stream().orElseThrow(() -> new PermanentException(where + ": no stream captures " + subject));
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        if (exhausted || nats == null) {
            Thread.sleep(Math.min(timeout.toMillis(), 50));
            return List.of();
        }
        List<SourceRecord> records = new ArrayList<>();
        try {
            while (records.size() < Math.min(max, MAX_PER_POLL) && !exhausted) {
                MessageInfo info = jsm.getNextMessage(stream, after + 1, subject);
                if (info.getSeq() > end) {
                    exhausted = true;
                } else {
                    records.add(record(info));
                    after = info.getSeq();
                    exhausted = after >= end;
                }
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != NO_MESSAGE_FOUND) {
                throw new RetriableException(where + ": reading after sequence " + after + " failed: " + e.getMessage(), e);
            }
            exhausted = tap.isEmpty();
        } catch (IOException e) {
            throw new RetriableException(where + ": reading after sequence " + after + " failed: " + e.getMessage(), e);
        }
        if (records.isEmpty() && tap.isPresent()) {
            // caught up: the next poll asks again, not sooner
            Thread.sleep(Math.min(timeout.toMillis(), 100));
        }
        return records;
    }

    private SourceRecord record(MessageInfo info) {
        List<Headers.Header> entries = new ArrayList<>();
        String key = null;
        Instant eventTime = info.getTime() == null ? null : info.getTime().toInstant();
        if (info.getHeaders() != null) {
            for (Map.Entry<String, List<String>> e : info.getHeaders().entrySet()) {
                for (String value : e.getValue()) {
                    entries.add(new Headers.Header(e.getKey(), value));
                }
            }
            key = info.getHeaders().getFirst(connection.keyHeader());
            String declared = info.getHeaders().getFirst(NatsMessageMapper.EVENT_TIME_HEADER);
            Instant parsed = declared == null ? null : NatsMessageMapper.parseEventTime(declared);
            eventTime = parsed != null ? parsed : eventTime;
        }
        byte[] data = info.getData() == null ? new byte[0] : info.getData();
        Message message = new Message(info.getSubject(), key, data, Headers.of(entries), eventTime);
        return new SourceRecord(message, new Position(stream, Long.toString(info.getSeq()), info.getSeq()));
    }

    @Override
    public boolean connected() {
        Connection conn = nats;
        return conn != null && conn.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public long lag() {
        if (tap.isPresent()) {
            return -1;
        }
        return exhausted ? 0 : Math.max(1, end - after);
    }

    @Override
    public void close() {
        Connection conn = nats;
        if (conn != null) {
            NatsConnectionFactory.closeQuietly(conn);
        }
    }
}
