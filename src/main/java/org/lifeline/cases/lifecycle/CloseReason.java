package org.lifeline.cases.lifecycle;

public enum CloseReason {
    WITHDRAWN,
    /** He stopped answering; the only closed surrender request that may reopen, when he comes back. */
    LOST_CONTACT,
    /** A fake or provocative request. */
    PROVOCATION,
    DUPLICATE,
    NOT_ELIGIBLE,
    /** A family inquiry whose answer reached the relative. */
    ANSWER_DELIVERED
}
