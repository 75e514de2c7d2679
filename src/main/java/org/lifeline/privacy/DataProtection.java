package org.lifeline.privacy;

import java.time.Instant;
import java.util.List;

/**
 * Encrypts personal fields before they reach the database. Each subject (a contact, a case) gets its own data
 * key; destroying it erases everything encrypted under it, in the database and in its backups alike.
 * <p>
 * The {@code context} names the value's place, such as {@code "contact.external_id:" + contactId}: a ciphertext
 * decrypts only with the context it was written with, so it cannot be moved to another row or column.
 */
public interface DataProtection {

    /** A new data key, stored wrapped by the master key. */
    DataKeyId newDataKey();

    /** @throws DataKeyDestroyed if the key was destroyed */
    byte[] encrypt(DataKeyId key, String plaintext, String context);

    /** @throws DataKeyDestroyed if the key was destroyed */
    String decrypt(DataKeyId key, byte[] ciphertext, String context);

    /** {@link #encrypt} for binary values such as photos. @throws DataKeyDestroyed if the key was destroyed */
    byte[] encryptBytes(DataKeyId key, byte[] plaintext, String context);

    /** @throws DataKeyDestroyed if the key was destroyed */
    byte[] decryptBytes(DataKeyId key, byte[] ciphertext, String context);

    /**
     * A keyed hash for equality lookups, under the current index key: what to store. The same purpose and value
     * give the same bytes until the index key is rotated ({@code keys rotate-index}).
     */
    byte[] blindIndex(String purpose, String value);

    /**
     * The keyed hash under every index key, the current one first: what a lookup tries, so that values indexed
     * before a rotation are still found until they are re-indexed (and always, for values never stored, such as a
     * web chat codename).
     */
    List<byte[]> blindIndexes(String purpose, String value);

    /**
     * The keyed hash under every index key that has been the primary at some time after {@code after}, the current
     * one first: what checks a short-lived value signed or sealed under the index key (a web chat's start, its
     * challenge, its message forms), given {@code after} as now less the value's life. One made just before a
     * rotation holds for its life on every node, and none made under an older key is taken once that life has passed
     * since the rotation (a leaked older key forges nothing then).
     */
    List<byte[]> blindIndexesAfter(String purpose, String value, Instant after);

    /** Crypto-shredding: erases the wrapped key, so nothing encrypted under it can be read again. */
    void destroy(DataKeyId key);

    /** {@link #encrypt}, passing {@code null} through for optional fields. */
    default byte[] encryptOptional(DataKeyId key, String plaintext, String context) {
        return plaintext == null ? null : encrypt(key, plaintext, context);
    }

    /** {@link #decrypt}, passing {@code null} through for optional fields. */
    default String decryptOptional(DataKeyId key, byte[] ciphertext, String context) {
        return ciphertext == null ? null : decrypt(key, ciphertext, context);
    }
}
