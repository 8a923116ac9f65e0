package io.msgbridge.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core's own structure, checked with the core's tests (the rules that need every module on the
 * class path, such as what backends may import, are in system-tests's LayeringTest).
 */
class CoreLayeringTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.msgbridge");

    /**
     * Each package of the core depends only on packages below it: spi, backend, then config, offsets and
     * metrics, runtime, then http, deadletter, readback and verify.
     */
    @Test
    void theCoreHasNoPackageCycles() {
        slices().matching("io.msgbridge.(*)..")
                .should().beFreeOfCycles()
                .check(CORE);
    }

    /**
     * The SPI is the contract between the core and the backends, and a backend builds against it alone
     * (with the backend support package): nothing of the rest of the project may leak into it.
     */
    @Test
    void theSpiDependsOnNoOtherPackageOfTheProject() {
        noClasses().that().resideInAPackage("io.msgbridge.spi..")
                .should().dependOnClassesThat(resideInAPackage("io.msgbridge..")
                        .and(not(resideInAPackage("io.msgbridge.spi.."))))
                .check(CORE);
    }

    /** The backend support package is helpers over the SPI: it names nothing of the runtime or config. */
    @Test
    void theBackendSupportPackageDependsOnlyOnTheSpi() {
        noClasses().that().resideInAPackage("io.msgbridge.backend..")
                .should().dependOnClassesThat(resideInAPackage("io.msgbridge..")
                        .and(not(resideInAnyPackage("io.msgbridge.backend..", "io.msgbridge.spi.."))))
                .check(CORE);
    }

    @Test
    void theCoreNeverNamesABackend() {
        noClasses().that().resideInAPackage("io.msgbridge..")
                .should().dependOnClassesThat().resideInAnyPackage("io.msgbridge.nats..", "io.nats..",
                        "io.msgbridge.pulsar..", "org.apache.pulsar..", "io.msgbridge.nsq..", "io.msgbridge.kafka..",
                        "org.apache.kafka..", "io.msgbridge.rocketmq..", "org.apache.rocketmq..", "io.msgbridge.builtin..")
                .check(CORE);
    }
}
