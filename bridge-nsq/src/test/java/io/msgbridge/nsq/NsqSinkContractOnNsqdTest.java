package io.msgbridge.nsq;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The sink contract against a real nsqd; runs when {@code NSQD} names its binary. */
@EnabledIfEnvironmentVariable(named = NsqBrokers.NSQD, matches = ".+")
class NsqSinkContractOnNsqdTest extends NsqSinkContract {
    @Override
    NsqBroker broker() {
        return NsqBrokers.realNsqd();
    }
}
