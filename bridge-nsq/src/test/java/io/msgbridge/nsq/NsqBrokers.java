package io.msgbridge.nsq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The brokers the NSQ integration tests run against, one of each kind per test JVM: always the
 * {@link NsqTestDouble}; and a real nsqd when the environment variable {@code NSQD} names its binary.
 * Tests isolate themselves by topic name.
 */
public final class NsqBrokers {
    /** The environment variable naming an nsqd binary. */
    public static final String NSQD = "NSQD";

    private static NsqTestDouble testDouble;
    private static RealNsqd realNsqd;

    private NsqBrokers() {
    }

    public static synchronized NsqTestDouble testDouble() {
        if (testDouble == null) {
            try {
                testDouble = NsqTestDouble.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(testDouble::close));
        }
        return testDouble;
    }

    /** Whether {@code NSQD} is set, so that the real-nsqd variants run. */
    public static boolean realNsqdConfigured() {
        String binary = System.getenv(NSQD);
        return binary != null && !binary.isBlank();
    }

    public static synchronized RealNsqd realNsqd() {
        if (realNsqd == null) {
            try {
                realNsqd = RealNsqd.start(System.getenv(NSQD));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(realNsqd::close));
        }
        return realNsqd;
    }

    /** Every configured broker: the double, and nsqd when {@code NSQD} is set. For parameterized tests. */
    public static List<NsqBroker> all() {
        List<NsqBroker> brokers = new ArrayList<>();
        brokers.add(testDouble());
        if (realNsqdConfigured()) {
            brokers.add(realNsqd());
        }
        return brokers;
    }

    /** A topic name no other test uses. */
    public static String uniqueTopic(String prefix) {
        return prefix + "_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
