package io.mailgate;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main code depend on each other in one direction only, so that a newcomer can read them
 * from the bottom up (README "Code map"): every package, sub-packages included, is its own slice, and no chain
 * of dependencies between slices leads back to where it started.
 */
class PackageCyclesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // what Spring's AOT processing generates into target/classes when the jar is packaged (bean definitions,
            // CGLIB subclasses): not code anyone reads, and it wires packages to each other as the context does
            .withImportOption(location -> !location.contains("__") && !location.contains("$$SpringCGLIB$$"))
            .importPackages("io.mailgate");

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("io.mailgate.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
