package io.msgbridge.nsq;

/** The source contract against the {@link NsqTestDouble}. */
class NsqSourceContractOnTestDoubleTest extends NsqSourceContract {
    @Override
    NsqBroker broker() {
        return NsqBrokers.testDouble();
    }
}
