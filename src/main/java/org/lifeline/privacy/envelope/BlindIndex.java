package org.lifeline.privacy.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.Mac;

/**
 * Keyed hashes for equality lookups of encrypted values. The purpose is length-prefixed into the input, so the
 * same value gives unrelated indexes for different purposes and no purpose/value split is ambiguous. Without the
 * key, an index cannot be recomputed from a guessed value (such as a phone number).
 */
public final class BlindIndex {

    private final Mac mac;

    private BlindIndex(Mac mac) {
        this.mac = mac;
    }

    public static BlindIndex fromJson(String json) {
        return new BlindIndex(Keysets.primitive(Keysets.parse(json, "index keyset"), Mac.class, "index keyset"));
    }

    public byte[] compute(String purpose, String value) {
        var purposeBytes = purpose.getBytes(UTF_8);
        var valueBytes = value.getBytes(UTF_8);
        var input = ByteBuffer.allocate(Integer.BYTES + purposeBytes.length + valueBytes.length)
                .putInt(purposeBytes.length).put(purposeBytes).put(valueBytes).array();
        try {
            return mac.computeMac(input);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot compute a blind index for " + purpose, e);
        }
    }
}
