package org.lifeline.cases.lifecycle;

/** A refused status change. The message names statuses and reasons only, so it is safe to show and log. */
public final class IllegalTransition extends RuntimeException {

    IllegalTransition(String message) {
        super(message);
    }
}
