package io.msgbridge.nsq;

import org.junit.jupiter.api.Tag;

/** The sink contract against the {@link NsqTestDouble}. */
@Tag("integration")
class NsqSinkContractOnTestDoubleTest extends NsqSinkContract {
    @Override
    NsqBroker broker() {
        return NsqBrokers.testDouble();
    }
}
