package io.msgbridge.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The direction of dependencies (STYLE rule 2): backends know their client library and the SPI,
 * nothing of the runtime; the core never names a backend.
 */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.msgbridge");

    @Test
    void backendsUseOnlyTheSpiAndConfigReadingOfTheCore() {
        noClasses().that().resideInAPackage("io.msgbridge.nats..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.msgbridge.runtime..", "io.msgbridge.offsets..", "io.msgbridge.metrics..",
                        "io.msgbridge.http..", "io.msgbridge.daemon..")
                .check(CLASSES);
    }

    @Test
    void theCoreNeverNamesABackend() {
        noClasses().that().resideInAnyPackage("io.msgbridge.spi..", "io.msgbridge.config..", "io.msgbridge.runtime..",
                        "io.msgbridge.offsets..", "io.msgbridge.metrics..", "io.msgbridge.http..", "io.msgbridge.daemon..")
                .should().dependOnClassesThat().resideInAnyPackage("io.msgbridge.nats..", "io.nats..")
                .check(CLASSES);
    }
}
