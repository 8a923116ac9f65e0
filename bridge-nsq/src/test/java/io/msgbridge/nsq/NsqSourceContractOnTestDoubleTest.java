package io.msgbridge.nsq;

import org.junit.jupiter.api.Tag;

/** The source contract against the {@link NsqTestDouble}. */
@Tag("integration")
class NsqSourceContractOnTestDoubleTest extends NsqSourceContract {
    @Override
    NsqBroker broker() {
        return NsqBrokers.testDouble();
    }
}
