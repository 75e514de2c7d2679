package org.lifeline.operators;

import java.util.Map;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashes: Argon2id, memory-hard, so guessing offline from a stolen database costs memory as well as time
 * on the GPUs a state can buy. Parameters follow OWASP's minimum (19 MiB, 2 passes, 1 lane). Hashes carry an
 * {@code {argon2}} prefix so that stronger parameters or another scheme can be added later beside the old hashes.
 */
@Component
class Passwords {

    private final PasswordEncoder encoder = new DelegatingPasswordEncoder("argon2",
            Map.of("argon2", new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2)));
    /** Longer input is refused without hashing it: the policy allows none so long (a code point may take 2 chars). */
    private static final int LONGEST_CHECKED = PasswordPolicy.MAX_LENGTH * 2;

    /** Checked against when the username does not exist, so that the answer takes as long as for one that does. */
    private final String decoy = encoder.encode("no such account, only here to spend the same time");

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return password != null && password.length() <= LONGEST_CHECKED && encoder.matches(password, hash);
    }

    void spendTimeOn(String password) {
        matches(password, decoy);
    }
}
