package io.msgbridge.nsq;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The source contract against a real nsqd; runs when {@code NSQD} names its binary. */
@EnabledIfEnvironmentVariable(named = NsqBrokers.NSQD, matches = ".+")
@Tag("integration")
class NsqSourceContractOnNsqdTest extends NsqSourceContract {
    @Override
    NsqBroker broker() {
        return NsqBrokers.realNsqd();
    }
}
