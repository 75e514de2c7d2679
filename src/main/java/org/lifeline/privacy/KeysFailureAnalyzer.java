package org.lifeline.privacy;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns unusable keys into a plain explanation at start-up instead of a stack trace. */
class KeysFailureAnalyzer extends AbstractFailureAnalyzer<KeysUnusable> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KeysUnusable cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Give Lifeline its keysets: both LIFELINE_CRYPTO_MASTER_KEYSET and LIFELINE_CRYPTO_INDEX_KEYSET from "
                        + "your secret store, or neither and the files in <data-dir>/keys. See README, 'Data protection'.",
                null);
    }
}
