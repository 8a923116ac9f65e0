package io.msgbridge.nsq;

/** {@link NsqClientBehaviour} against the {@link NsqTestDouble}. */
class NsqClientOnTestDoubleTest extends NsqClientBehaviour {
    @Override
    NsqBroker broker() {
        return NsqBrokers.testDouble();
    }
}
