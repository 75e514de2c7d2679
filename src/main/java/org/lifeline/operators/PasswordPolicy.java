package org.lifeline.operators;

import java.util.Locale;
import java.util.regex.Pattern;

/** Rules for usernames and passwords, checked on every account creation. */
final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    /** Bounds the work one sign-in attempt can cause (Argon2 hashes whatever it is given). */
    static final int MAX_LENGTH = 256;

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

    private PasswordPolicy() {
    }

    /** Usernames are compared without case and surrounding blanks. */
    static String normalizeUsername(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    static String checkUsername(String username) {
        var normalized = normalizeUsername(username);
        if (!USERNAME.matcher(normalized).matches()) {
            throw new InvalidAccountChange("username-invalid", "A username has 3 to 64 characters: lowercase Latin letters, digits, "
                    + "dots, dashes or underscores, starting with a letter or digit.");
        }
        return normalized;
    }

    static void checkPassword(String username, String password) {
        var length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw new InvalidAccountChange("password-too-short",
                    "The password must have at least " + MIN_LENGTH + " characters.", MIN_LENGTH);
        }
        if (length > MAX_LENGTH) {
            throw new InvalidAccountChange("password-too-long",
                    "The password must have at most " + MAX_LENGTH + " characters.", MAX_LENGTH);
        }
        if (normalizeUsername(password).equals(normalizeUsername(username))) {
            throw new InvalidAccountChange("password-is-username", "The password must not be the username.");
        }
    }
}
