package org.lifeline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** What Spring Modulith does not check: framework-free cores, and web types only in web packages. */
class ArchitectureTests {

    /** The complex cores: the flow engine, the case state machine and the crypto envelope. */
    static final String[] FRAMEWORK_FREE = {"org.lifeline..engine..", "org.lifeline..lifecycle..", "org.lifeline..envelope.."};

    private static final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.lifeline");

    @Test
    void coresAreFreeOfFrameworks() {
        noClasses().that().resideInAnyPackage(FRAMEWORK_FREE)
                .and().doNotHaveSimpleName("package-info")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta..", "javax.sql..", "java.sql..", "org.flywaydb..",
                        "com.fasterxml.jackson..", "tools.jackson..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void serverWebTypesStayInWebPackages() {
        noClasses().that().resideOutsideOfPackage("org.lifeline..web..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.servlet..", "org.springframework.web.bind..", "org.springframework.web.servlet..",
                        "org.springframework.web.method..", "org.springframework.security.web..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void nothingUsesJpa() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.hibernate..")
                .check(classes);
    }
}
