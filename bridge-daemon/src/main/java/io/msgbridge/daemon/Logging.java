package io.msgbridge.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.net.URL;

/**
 * Chooses the log format at startup. Logback configures itself from {@code logback.xml} (text) when the
 * first logger is made; {@link #configure(LogFormat)} replaces that with the chosen format's file. The CLI
 * calls it once, before anything else logs. Both formats write to stderr and share the library levels of
 * {@code logback-levels.xml}; {@code BRIDGE_LOG_LEVEL} sets the root level (default INFO). Libraries that
 * log through {@code java.util.logging} (jnats, pgjdbc) are routed into the same format.
 */
public final class Logging {

    /** The formats of {@code --log-format}. */
    public enum LogFormat {
        /** {@code TIMESTAMP LEVEL [pipeline] message}, one line per event ({@code logback.xml}). */
        TEXT("/logback.xml"),
        /** One JSON object per line, logback's {@code JsonEncoder} ({@code logback-json.xml}). */
        JSON("/logback-json.xml");

        private final String resource;

        LogFormat(String resource) {
            this.resource = resource;
        }
    }

    private Logging() {
    }

    /**
     * Reconfigures logback for {@code format}. Does nothing when SLF4J is bound to another backend (a test
     * harness, an embedding application).
     *
     * @throws IllegalStateException if the configuration file is missing or invalid (a packaging error)
     */
    public static void configure(LogFormat format) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        URL config = Logging.class.getResource(format.resource);
        if (config == null) {
            throw new IllegalStateException("log format " + format + ": " + format.resource + " is not on the classpath");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("log format " + format + ": " + config + " is invalid: " + e.getMessage(), e);
        }
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
