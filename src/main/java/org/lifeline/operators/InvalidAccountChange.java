package org.lifeline.operators;

/**
 * An account change refused, with a reason: {@link #getMessage()} in English for the command line, and
 * {@link #reason()} with {@link #arguments()} for the console, which says it in the operator's language.
 */
public final class InvalidAccountChange extends RuntimeException {

    private final String reason;
    private final transient Object[] arguments;

    InvalidAccountChange(String reason, String message, Object... arguments) {
        super(message);
        this.reason = reason;
        this.arguments = arguments.clone();
    }

    /** A stable name of the reason, such as {@code password-too-short}. */
    public String reason() {
        return reason;
    }

    public Object[] arguments() {
        return arguments.clone();
    }
}
