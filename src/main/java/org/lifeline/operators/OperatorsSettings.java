package org.lifeline.operators;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param totpKeyset Tink JSON keyset (AEAD) that encrypts the TOTP secrets, from a secret store; when unset, one is
 *         generated into {@code <data-dir>/keys/operators.json}. Several nodes must share the same keyset.
 * @param issuer the name authenticator apps show beside the account
 * @param lockoutThreshold failed second steps (code, recovery code, enrolment) in a row before the second step is
 *         locked for a while; wrong passwords never lock
 * @param lockoutDelay how long the first lock lasts; each further failure doubles it
 * @param lockoutMaxDelay the longest a lock lasts
 * @param signInTimeout how long the second step may wait after the password was accepted
 * @param setupTokenTtl how long a first-admin setup token is valid
 * @param passwordChecks password checks (Argon2, 19 MiB each) that may run at once; beyond, sign-ins are answered
 *         "busy" at once. 0: the number of processors
 * @param passwordFailuresPerMinute failed password steps a minute, all accounts together, before sign-ins from
 *         browsers not known to the account are answered "busy" for the rest of the minute
 * @param deviceTtl how long a browser that completed a sign-in is known to that account
 */
@ConfigurationProperties("lifeline.operators")
record OperatorsSettings(
        String totpKeyset,
        @DefaultValue("Lifeline") String issuer,
        @DefaultValue("5") int lockoutThreshold,
        @DefaultValue("30s") Duration lockoutDelay,
        @DefaultValue("1h") Duration lockoutMaxDelay,
        @DefaultValue("5m") Duration signInTimeout,
        @DefaultValue("24h") Duration setupTokenTtl,
        @DefaultValue("0") int passwordChecks,
        @DefaultValue("30") int passwordFailuresPerMinute,
        @DefaultValue("90d") Duration deviceTtl) {

    OperatorsSettings {
        if (passwordChecks < 0 || passwordFailuresPerMinute < 1) {
            throw new IllegalArgumentException(
                    "lifeline.operators.password-checks must be >= 0 and password-failures-per-minute >= 1");
        }
    }

    /** Concurrent password checks: about the number of cores, since each takes one core for its duration. */
    int concurrentPasswordChecks() {
        return passwordChecks > 0 ? passwordChecks : Runtime.getRuntime().availableProcessors();
    }

    boolean keysetConfigured() {
        return totpKeyset != null && !totpKeyset.isBlank();
    }

    /** Never prints the keyset. */
    @Override
    public String toString() {
        return "OperatorsSettings[keysetConfigured=" + keysetConfigured() + ", issuer=" + issuer
                + ", lockoutThreshold=" + lockoutThreshold + ", lockoutDelay=" + lockoutDelay
                + ", lockoutMaxDelay=" + lockoutMaxDelay + ", signInTimeout=" + signInTimeout
                + ", setupTokenTtl=" + setupTokenTtl + ", passwordChecks=" + passwordChecks
                + ", passwordFailuresPerMinute=" + passwordFailuresPerMinute + ", deviceTtl=" + deviceTtl + "]";
    }
}
