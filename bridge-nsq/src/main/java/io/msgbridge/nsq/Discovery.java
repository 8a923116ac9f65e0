package io.msgbridge.nsq;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Where the nsqd for a topic are: a fixed list, or nsqlookupd's current answer. */
sealed interface Discovery {

    /** The nsqd to be connected to now. */
    Set<NsqAddress> addresses() throws IOException, InterruptedException;

    /** Whether the set can change while running (then it is asked again every poll interval). */
    boolean dynamic();

    static Discovery of(NsqConnectionOptions options, String topic) {
        if (options.lookupd().isEmpty()) {
            return new Fixed(new LinkedHashSet<>(options.nsqd()));
        }
        return new Lookupd(new LookupdClient(options.lookupd(), options.connectTimeout()), topic);
    }

    /** The {@code nsqd:} list. */
    record Fixed(Set<NsqAddress> nsqd) implements Discovery {
        @Override
        public Set<NsqAddress> addresses() {
            return nsqd;
        }

        @Override
        public boolean dynamic() {
            return false;
        }
    }

    /** nsqlookupd: a topic's producers, or every node when {@code topic} is null (for sinks). */
    record Lookupd(LookupdClient client, String topic) implements Discovery {
        @Override
        public Set<NsqAddress> addresses() throws IOException, InterruptedException {
            return topic == null ? client.nodes() : client.producers(topic);
        }

        @Override
        public boolean dynamic() {
            return true;
        }
    }
}
