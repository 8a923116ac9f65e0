package io.msgbridge.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
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
     * Each package of the core depends only on packages below it: spi, config, offsets and metrics,
     * runtime, then http, deadletter, readback and verify. The SPI still reads connection settings
     * through config's ConfigNode (and its Secret), which every backend imports; that one edge is
     * allowed until ConfigNode moves into the SPI, and no other may close a cycle.
     */
    @Test
    void theCoreHasNoPackageCycles() {
        slices().matching("io.msgbridge.(*)..")
                .should().beFreeOfCycles()
                .ignoreDependency(resideInAPackage("io.msgbridge.spi"),
                        describe("ConfigNode", c -> c.getName().equals("io.msgbridge.config.ConfigNode")))
                .check(CORE);
    }

    @Test
    void theCoreNeverNamesABackend() {
        noClasses().that().resideInAPackage("io.msgbridge..")
                .should().dependOnClassesThat().resideInAnyPackage("io.msgbridge.nats..", "io.nats..",
                        "io.msgbridge.pulsar..", "org.apache.pulsar..", "io.msgbridge.nsq..", "io.msgbridge.kafka..",
                        "org.apache.kafka..", "io.msgbridge.rocketmq..", "org.apache.rocketmq..")
                .check(CORE);
    }
}
