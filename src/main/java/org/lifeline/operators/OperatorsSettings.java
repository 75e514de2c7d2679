package org.lifeline.operators;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param totpKeyset Tink JSON keyset (AEAD) that encrypts the TOTP secrets, from a secret store; when unset, one is
 *         generated into {@code <data-dir>/keys/operators.json}. Several nodes must share the same keyset.
 * @param issuer the name authenticator apps show beside the account
 * @param lockoutThreshold failed sign-in steps in a row before the account is locked for a while
 * @param lockoutDelay how long the first lock lasts; each further failure doubles it
 * @param lockoutMaxDelay the longest a lock lasts
 * @param signInTimeout how long the second step may wait after the password was accepted
 */
@ConfigurationProperties("lifeline.operators")
record OperatorsSettings(
        String totpKeyset,
        @DefaultValue("Lifeline") String issuer,
        @DefaultValue("5") int lockoutThreshold,
        @DefaultValue("30s") Duration lockoutDelay,
        @DefaultValue("1h") Duration lockoutMaxDelay,
        @DefaultValue("5m") Duration signInTimeout) {

    boolean keysetConfigured() {
        return totpKeyset != null && !totpKeyset.isBlank();
    }

    /** Never prints the keyset. */
    @Override
    public String toString() {
        return "OperatorsSettings[keysetConfigured=" + keysetConfigured() + ", issuer=" + issuer
                + ", lockoutThreshold=" + lockoutThreshold + ", lockoutDelay=" + lockoutDelay
                + ", lockoutMaxDelay=" + lockoutMaxDelay + ", signInTimeout=" + signInTimeout + "]";
    }
}
