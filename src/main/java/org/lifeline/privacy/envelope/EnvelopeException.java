package org.lifeline.privacy.envelope;

/** A key or ciphertext could not be used. Messages name keys and contexts, never the data. */
public final class EnvelopeException extends RuntimeException {

    EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
