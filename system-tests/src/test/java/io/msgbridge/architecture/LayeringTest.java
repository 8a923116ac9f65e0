package io.msgbridge.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The direction of dependencies between modules: backends know their client library, the SPI and the
 * backend support package, nothing of the runtime; the daemon never names a backend. The core's own
 * rules (no package cycles, the SPI self-contained, no backend named) are bridge-core's CoreLayeringTest.
 */
class LayeringTest {
    /**
     * Main code only: besides test-classes directories, the modules' test jars ({@code *-tests.jar}), which
     * the class path holds instead when the reactor has packaged them ({@code mvn verify}, {@code install}).
     */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.msgbridge");
    /** Every backend's package, the built-in generate and stdout components included. */
    private static final List<String> BACKENDS = List.of("io.msgbridge.nats..", "io.msgbridge.pulsar..", "io.msgbridge.nsq..",
            "io.msgbridge.kafka..", "io.msgbridge.rocketmq..", "io.msgbridge.builtin..");

    /**
     * A backend builds against the SPI ({@code io.msgbridge.spi}) and the backend support package
     * ({@code io.msgbridge.backend}) only: nothing of the runtime, config loading, offsets, metrics or
     * the daemon.
     */
    @Test
    void backendsUseOnlyTheSpiAndTheBackendSupportPackage() {
        for (String backend : BACKENDS) {
            noClasses().that().resideInAPackage(backend)
                    .should().dependOnClassesThat(resideInAPackage("io.msgbridge..")
                            .and(not(resideInAnyPackage(backend, "io.msgbridge.spi..", "io.msgbridge.backend.."))))
                    .check(CLASSES);
        }
    }

    @Test
    void backendsNeverDependOnEachOther() {
        for (String backend : BACKENDS) {
            noClasses().that().resideInAPackage(backend)
                    .should().dependOnClassesThat().resideInAnyPackage(
                            BACKENDS.stream().filter(other -> !other.equals(backend)).toArray(String[]::new))
                    .check(CLASSES);
        }
    }

    @Test
    void theDaemonNeverNamesABackend() {
        noClasses().that().resideInAPackage("io.msgbridge.daemon..")
                .should().dependOnClassesThat().resideInAnyPackage("io.msgbridge.nats..", "io.nats..",
                        "io.msgbridge.pulsar..", "org.apache.pulsar..", "io.msgbridge.nsq..", "io.msgbridge.kafka..",
                        "org.apache.kafka..", "io.msgbridge.rocketmq..", "org.apache.rocketmq..", "io.msgbridge.builtin..")
                .check(CLASSES);
    }
}
