package org.lifeline.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns the refusal of a database newer than this Lifeline into what to do instead of a stack trace. */
class NewerSchemaFailureAnalyzer extends AbstractFailureAnalyzer<NewerSchemaRefusal.NewerSchema> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NewerSchemaRefusal.NewerSchema cause) {
        return new FailureAnalysis(
                cause.getMessage() + ". Code older than its database may write what the newer code forbids.",
                "Run the version of Lifeline that migrated the database, or a newer one, on every node. In an"
                        + " upgrade, stop the nodes running the old version before starting the new one (README,"
                        + " 'Production topology', 'Upgrades'). Nothing was changed in the database.",
                cause);
    }
}
