package io.msgbridge.nsq;

/** The sink contract against the {@link NsqTestDouble}. */
class NsqSinkContractOnTestDoubleTest extends NsqSinkContract {
    @Override
    NsqBroker broker() {
        return NsqBrokers.testDouble();
    }
}
