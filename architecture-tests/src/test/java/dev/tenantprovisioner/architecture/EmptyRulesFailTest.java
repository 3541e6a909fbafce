package dev.tenantprovisioner.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Guards the guard: a rule about a package that does not exist must fail, not pass vacuously. */
class EmptyRulesFailTest {

    @Test
    void givenMisspelledPackage_whenRuleIsChecked_thenItFails() {
        JavaClasses classes = new ClassFileImporter().importPackages("dev.tenantprovisioner");
        ArchRule misspelled = noClasses()
                .that()
                .resideInAPackage("dev.tenantprovisioner.domian..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..");

        AssertionError failure = assertThrows(AssertionError.class, () -> misspelled.check(classes));

        assertTrue(failure.getMessage().contains("failed to check any classes"), failure.getMessage());
    }
}
