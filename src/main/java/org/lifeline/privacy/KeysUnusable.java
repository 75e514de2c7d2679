package org.lifeline.privacy;

/** The configured or stored keysets cannot be used: Lifeline does not start rather than run without its keys. */
final class KeysUnusable extends IllegalStateException {

    KeysUnusable(String message, Throwable cause) {
        super(message, cause);
    }
}
