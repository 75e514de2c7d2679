package org.lifeline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lifeline.webchat.ReachesIntoAnotherModule;

/**
 * What Spring Modulith does not check: framework-free cores, and web types only in web packages. Every rule fails
 * when it matches no class, so that renaming a package cannot silently switch a rule off.
 */
class ArchitectureTests {

    private static final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.lifeline");

    /** One rule a core, each failing when its package matches no class (a rename must not switch it off). */
    @ParameterizedTest
    @ValueSource(strings = {"org.lifeline..engine..", "org.lifeline..lifecycle..", "org.lifeline..envelope.."})
    void coresAreFreeOfFrameworks(String core) {
        noClasses().that().resideInAPackage(core)
                .and().doNotHaveSimpleName("package-info")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta..", "javax.sql..", "java.sql..", "org.flywaydb..",
                        "com.fasterxml.jackson..", "tools.jackson..")
                .allowEmptyShould(false)
                .check(classes);
    }

    @Test
    void serverWebTypesStayInWebPackages() {
        noClasses().that().resideOutsideOfPackage("org.lifeline..web..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.servlet..", "org.springframework.web.bind..", "org.springframework.web.servlet..",
                        "org.springframework.web.method..", "org.springframework.security.web..")
                .allowEmptyShould(false)
                .check(classes);
    }

    /**
     * Repositories reach the database through JdbcClient or JdbcTemplate, which translate SQL exceptions, so they
     * need no proxy translating them ({@code spring.persistence.exceptiontranslation.enabled=false}).
     */
    @Test
    void repositoriesTakeNoConnectionOfTheirOwn() {
        noClasses().that().areAnnotatedWith(org.springframework.stereotype.Repository.class)
                .should().callMethod(javax.sql.DataSource.class, "getConnection")
                .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                                com.tngtech.archunit.base.DescribedPredicate.describe("a JDBC connection or statement",
                                        owner -> owner.isAssignableTo(java.sql.Connection.class)
                                                || owner.isAssignableTo(java.sql.Statement.class)))))
                .orShould().dependOnClassesThat().haveFullyQualifiedName(
                        "org.springframework.jdbc.datasource.DataSourceUtils")
                .check(classes);
    }

    @Test
    void nothingUsesJpa() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.hibernate..")
                .allowEmptyShould(false)
                .check(classes);
    }

    /**
     * An adapter uses other modules through their root packages (their APIs) only: never a sub-package of another
     * module ({@code channels.internal}, {@code cases.lifecycle}, …), named interface or not. Spring Modulith would
     * allow a named interface the adapter declares; this keeps a new channel on the published API.
     */
    @ParameterizedTest
    @ValueSource(strings = {"telegram", "webchat", "whatsapp", "telephony"})
    void adaptersUseOnlyThePublishedApisOfOtherModules(String adapter) {
        onlyPublishedApis(adapter).check(classes);
    }

    @Test
    void theAdapterRuleFindsAnAdapterReachingIntoAnotherModule() {
        var reaching = new ClassFileImporter().importClasses(ReachesIntoAnotherModule.class);
        assertThat(onlyPublishedApis("webchat").evaluate(reaching).hasViolation()).isTrue();
    }

    private static ArchRule onlyPublishedApis(String adapter) {
        return noClasses().that().resideInAPackage("org.lifeline." + adapter + "..")
                .should().dependOnClassesThat(insideAnotherModule(adapter))
                .allowEmptyShould(false);
    }

    /** A class in a sub-package of a module other than {@code adapter}: {@code org.lifeline.<module>.<sub>…}. */
    private static DescribedPredicate<JavaClass> insideAnotherModule(String adapter) {
        return DescribedPredicate.describe("reside inside a module other than " + adapter, type -> {
            var parts = type.getPackageName().split("\\.");
            return parts.length > 3 && parts[0].equals("org") && parts[1].equals("lifeline") && !parts[2].equals(adapter);
        });
    }
}
