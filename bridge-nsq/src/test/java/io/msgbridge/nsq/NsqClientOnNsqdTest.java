package io.msgbridge.nsq;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link NsqClientBehaviour} against a real nsqd; runs when {@code NSQD} names its binary. */
@EnabledIfEnvironmentVariable(named = NsqBrokers.NSQD, matches = ".+")
@Tag("integration")
class NsqClientOnNsqdTest extends NsqClientBehaviour {
    @Override
    NsqBroker broker() {
        return NsqBrokers.realNsqd();
    }
}
