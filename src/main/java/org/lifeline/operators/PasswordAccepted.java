package org.lifeline.operators;

import java.io.Serializable;
import java.time.Instant;

/**
 * The first of the two sign-in steps passed: the password was right. Not a sign-in: only {@link OperatorLogin}'s
 * second step turns it into one, and only for a while ({@code lifeline.operators.sign-in-timeout}).
 */
public final class PasswordAccepted implements Serializable {

    private final OperatorId operator;
    private final boolean enrolled;
    private final Instant at;
    /** The account's security stamp then: a change of its password (or role, or second factor) voids this step. */
    private final int securityStamp;

    PasswordAccepted(OperatorId operator, boolean enrolled, Instant at, int securityStamp) {
        this.operator = operator;
        this.enrolled = enrolled;
        this.at = at;
        this.securityStamp = securityStamp;
    }

    public OperatorId operator() {
        return operator;
    }

    /** Whether the account has its second factor already; if not, the second step is enrolling it. */
    public boolean enrolled() {
        return enrolled;
    }

    Instant at() {
        return at;
    }

    int securityStamp() {
        return securityStamp;
    }
}
