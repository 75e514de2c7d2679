package org.lifeline.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns the production database refusal into a plain explanation instead of a stack trace. */
class ProductionDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<ProductionDatabaseGuard.EmbeddedDatabaseRefused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProductionDatabaseGuard.EmbeddedDatabaseRefused cause) {
        return new FailureAnalysis(
                "The 'prod' profile refuses to start on " + cause.found + ": production data must live in PostgreSQL.",
                "Set SPRING_DATASOURCE_URL (jdbc:postgresql://host:5432/db), SPRING_DATASOURCE_USERNAME and "
                        + "SPRING_DATASOURCE_PASSWORD, or run without the 'prod' profile to try Lifeline on embedded H2.",
                cause);
    }
}
