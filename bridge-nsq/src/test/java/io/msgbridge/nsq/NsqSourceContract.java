package io.msgbridge.nsq;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContract;

import java.util.Comparator;
import java.util.List;

/**
 * The source contract for {@link NsqSource}, against the broker a subclass names. NSQ carries no keys
 * or headers; positions are message ids, which nsqd issues in increasing order (16 hex digits).
 */
abstract class NsqSourceContract extends SourceContract {
    private final String topic = NsqBrokers.uniqueTopic("src_contract");

    abstract NsqBroker broker();

    @Override
    protected Source newSource() {
        return new NsqSource(NsqConnectionOptions.of(List.of(broker().address())), new NsqSourceOptions(topic, "contract"));
    }

    @Override
    protected String topic() {
        return topic;
    }

    @Override
    protected void produce(List<Message> messages) throws Exception {
        new NsqHttp(broker()).mpub(topic, messages.stream().map(Message::payload).toList());
    }

    @Override
    protected boolean carriesKeysAndHeaders() {
        return false;
    }

    @Override
    protected Comparator<Position> positionOrder() {
        return Comparator.comparing(Position::offset);
    }
}
