package org.lifeline.operators;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashes: Argon2id, memory-hard, so guessing offline from a stolen database costs memory as well as time
 * on the GPUs a state can buy. Parameters follow OWASP's minimum (19 MiB, 2 passes, 1 lane). Hashes carry an
 * {@code {argon2}} prefix so that stronger parameters or another scheme can be added later beside the old hashes.
 * <p>
 * Each check takes a core and 19 MiB for its duration, so only about as many run at once as there are cores
 * ({@code lifeline.operators.password-checks}); a check that cannot start within a moment is answered
 * {@link SignInBusy} at once, so that a flood of sign-ins neither exhausts memory nor ties up the server. Browsers
 * known to an account have one check of the account's own, which a flood cannot take.
 */
@Component
class Passwords {

    /** How long a sign-in waits for a free check before it is answered "busy". */
    private static final long WAIT_MILLIS = 1000;
    /** A browser known to the account, or an admin creating an account, may wait longer. */
    private static final long PATIENT_WAIT_MILLIS = 5000;

    private final PasswordEncoder encoder = new DelegatingPasswordEncoder("argon2",
            Map.of("argon2", new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2)));
    /** Longer input is refused without hashing it: the policy allows none so long (a code point may take 2 chars). */
    private static final int LONGEST_CHECKED = PasswordPolicy.MAX_LENGTH * 2;

    /** Checked against when the username does not exist, so that the answer takes as long as for one that does. */
    private final String decoy = encoder.encode("no such account, only here to spend the same time");
    private final Semaphore checks;
    /** One check for each account's known browsers: a stolen device cookie of one account holds no other's. */
    private final java.util.concurrent.ConcurrentMap<OperatorId, Semaphore> knownDeviceChecks =
            new java.util.concurrent.ConcurrentHashMap<>();

    Passwords(OperatorsSettings settings) {
        this.checks = new Semaphore(settings.concurrentPasswordChecks(), true);
    }

    /** For new accounts and passwords (admins, the command line): waits longer for a free check. */
    String hash(String password) {
        acquire(checks, PATIENT_WAIT_MILLIS);
        try {
            return encoder.encode(password);
        } finally {
            checks.release();
        }
    }

    /** @throws SignInBusy when no check is free within a moment */
    boolean matches(String password, String hash) {
        return matches(password, hash, checks, WAIT_MILLIS);
    }

    /**
     * For a browser known to the account: a check of the account's own, which neither a flood of other sign-ins nor
     * another account's known browsers hold.
     */
    boolean matchesOnKnownDevice(OperatorId account, String password, String hash) {
        return matches(password, hash, knownDeviceChecks.computeIfAbsent(account, a -> new Semaphore(1, true)),
                PATIENT_WAIT_MILLIS);
    }

    void spendTimeOn(String password) {
        matches(password, decoy);
    }

    private boolean matches(String password, String hash, Semaphore pool, long waitMillis) {
        if (password == null || password.length() > LONGEST_CHECKED) {
            return false;
        }
        acquire(pool, waitMillis);
        try {
            return encoder.matches(password, hash);
        } finally {
            pool.release();
        }
    }

    private static void acquire(Semaphore pool, long waitMillis) {
        try {
            if (!pool.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new SignInBusy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInBusy();
        }
    }
}
