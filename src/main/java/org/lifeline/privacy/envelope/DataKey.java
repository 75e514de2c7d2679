package org.lifeline.privacy.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;

import com.google.crypto.tink.Aead;

/**
 * One subject's key. The context (for example {@code contact.external_id:<uuid>}) is authenticated with each
 * value, so a ciphertext copied into another row or column does not decrypt.
 */
public final class DataKey {

    private final Aead aead;

    DataKey(Aead aead) {
        this.aead = aead;
    }

    public byte[] encrypt(String plaintext, String context) {
        try {
            return aead.encrypt(plaintext.getBytes(UTF_8), context.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot encrypt a value for " + context, e);
        }
    }

    public String decrypt(byte[] ciphertext, String context) {
        try {
            return new String(aead.decrypt(ciphertext, context.getBytes(UTF_8)), UTF_8);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("A value does not decrypt for " + context
                    + ": wrong key or context, or altered ciphertext", e);
        }
    }
}
