package io.msgbridge.nsq;

import org.junit.jupiter.api.Tag;

/** {@link NsqClientBehaviour} against the {@link NsqTestDouble}. */
@Tag("integration")
class NsqClientOnTestDoubleTest extends NsqClientBehaviour {
    @Override
    NsqBroker broker() {
        return NsqBrokers.testDouble();
    }
}
