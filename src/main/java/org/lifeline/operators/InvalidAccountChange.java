package org.lifeline.operators;

/** An account change that breaks a rule (weak password, taken name, …); the message says which, for the person. */
public final class InvalidAccountChange extends RuntimeException {

    InvalidAccountChange(String message) {
        super(message);
    }
}
