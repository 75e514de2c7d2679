package org.lifeline.operators;

import java.io.Serializable;
import java.util.List;

/**
 * A second factor being set up: the TOTP secret to put into an authenticator app and the recovery codes to keep.
 * Shown once, then confirmed with a code ({@link OperatorLogin#completeEnrolment}); only then is anything stored.
 */
public final class Enrolment implements Serializable {

    private final OperatorId operator;
    private final String secret;
    private final String uri;
    private final List<String> recoveryCodes;

    Enrolment(OperatorId operator, String secret, String uri, List<String> recoveryCodes) {
        this.operator = operator;
        this.secret = secret;
        this.uri = uri;
        this.recoveryCodes = List.copyOf(recoveryCodes);
    }

    OperatorId operator() {
        return operator;
    }

    /** Base32, for typing into an app that cannot scan. */
    public String secret() {
        return secret;
    }

    /** The {@code otpauth://} URI, which the QR code carries. */
    public String uri() {
        return uri;
    }

    public List<String> recoveryCodes() {
        return recoveryCodes;
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "Enrolment[" + operator + "]";
    }
}
