package org.lifeline.channels.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an intake journal that cannot be opened into a plain explanation at start-up instead of a stack trace. */
class IntakeJournalFailureAnalyzer extends AbstractFailureAnalyzer<IntakeJournalUnreadable> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IntakeJournalUnreadable cause) {
        var file = cause.journal().replaceFirst("^jdbc:h2:file:", "") + ".mv.db";
        return new FailureAnalysis(cause.getMessage(),
                "To start at once, move " + file + " aside (what it holds is then lost unless recovered); to recover"
                        + " it first, follow README, 'If the intake journal cannot be opened'.",
                cause);
    }
}
