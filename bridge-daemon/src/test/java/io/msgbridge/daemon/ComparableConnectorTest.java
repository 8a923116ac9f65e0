package io.msgbridge.daemon;

import io.msgbridge.spi.Connector;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ComparableConnectorTest {
    /** A wrapper that left a default method to the interface would answer for the backend, wrongly. */
    @Test
    void theWrappedSpecsPassEveryMethodOfTheSpecInterfacesToTheBackendsSpec() {
        for (Class<?> spec : List.of(Connector.SourceSpec.class, Connector.SinkSpec.class, Connector.ConnectionSpec.class)) {
            Class<?> wrapper = Arrays.stream(ComparableConnector.class.getDeclaredClasses())
                    .filter(spec::isAssignableFrom).findFirst().orElseThrow();
            for (Method method : spec.getMethods()) {
                if (Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                assertThat(Arrays.stream(wrapper.getDeclaredMethods()).anyMatch(m -> m.getName().equals(method.getName())
                        && Arrays.equals(m.getParameterTypes(), method.getParameterTypes())))
                        .as("%s declares %s", wrapper.getSimpleName(), method.getName()).isTrue();
            }
        }
    }
}
