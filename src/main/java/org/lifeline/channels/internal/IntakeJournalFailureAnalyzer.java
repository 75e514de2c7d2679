package org.lifeline.channels.internal;

import org.lifeline.platform.Databases;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an intake journal that cannot be opened into a plain explanation at start-up instead of a stack trace. */
class IntakeJournalFailureAnalyzer extends AbstractFailureAnalyzer<IntakeJournalUnreadable> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IntakeJournalUnreadable cause) {
        // a journal beside a database named without "file:" (jdbc:h2:~/…) is named as its URL says
        var file = Databases.h2File(cause.journal()).map(Object::toString).orElse(cause.journal());
        if (Databases.inUseElsewhere(cause)) {
            // moving it aside now would take it from under whoever has it open
            return new FailureAnalysis("The intake journal " + file + " is in use by another process: another Lifeline"
                    + " on the same data directory, or a tool that has it open.",
                    "Stop that process, then start again.", cause);
        }
        return new FailureAnalysis(cause.getMessage(),
                "Move " + file + " aside, then recover what H2 can still read from it with 'java -jar lifeline.jar"
                        + " database recover <the moved file>' (README, 'If the intake journal cannot be opened'), or"
                        + " start without it: what it holds is then lost.",
                cause);
    }
}
