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
        return encryptBytes(plaintext.getBytes(UTF_8), context);
    }

    public String decrypt(byte[] ciphertext, String context) {
        return new String(decryptBytes(ciphertext, context), UTF_8);
    }

    /** For binary values such as photos. */
    public byte[] encryptBytes(byte[] plaintext, String context) {
        try {
            return aead.encrypt(plaintext, context.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot encrypt a value for " + context, e);
        }
    }

    public byte[] decryptBytes(byte[] ciphertext, String context) {
        try {
            return aead.decrypt(ciphertext, context.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("A value does not decrypt for " + context
                    + ": wrong key or context, or altered ciphertext", e);
        }
    }
}
