package org.lifeline.operators;

/**
 * Too many sign-ins are being checked, or have failed, right now: the attempt is answered at once, without checking
 * anything, and may be repeated shortly. Known and unknown names get it alike.
 */
public class SignInBusy extends RuntimeException {

    public SignInBusy() {
        super("Sign-ins are busy; try again shortly", null, false, false);
    }
}
