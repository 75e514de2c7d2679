package org.lifeline.privacy.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;

/**
 * Keyed hashes for equality lookups of encrypted values. The purpose is length-prefixed into the input, so the
 * same value gives unrelated indexes for different purposes and no purpose/value split is ambiguous. Without the
 * key, an index cannot be recomputed from a guessed value (such as a phone number).
 * <p>
 * After a rotation the keyset holds several keys: new indexes are computed with the primary, and lookups try every
 * key ({@link #computeAll}) until what is stored has been re-indexed, and for values that cannot be (a web chat
 * codename is never stored).
 */
public final class BlindIndex {

    private final KeysetHandle keyset;
    private final Mac primary;
    /** One MAC per key, the primary first. */
    private final List<Mac> all;

    private BlindIndex(KeysetHandle keyset) {
        this.keyset = keyset;
        this.primary = Keysets.primitive(keyset, Mac.class, "index keyset");
        var macs = new ArrayList<Mac>();
        macs.add(primary);
        for (int i = 0; i < keyset.size(); i++) {
            var entry = keyset.getAt(i);
            if (entry.isPrimary()) {
                continue;
            }
            try {
                var single = KeysetHandle.newBuilder()
                        .addEntry(KeysetHandle.importKey(entry.getKey()).withFixedId(entry.getId()).makePrimary())
                        .build();
                macs.add(Keysets.primitive(single, Mac.class, "index keyset"));
            } catch (GeneralSecurityException e) {
                throw new EnvelopeException("Cannot use an older key of the index keyset", e);
            }
        }
        this.all = List.copyOf(macs);
    }

    public static BlindIndex fromJson(String json) {
        return new BlindIndex(Keysets.parse(json, "index keyset"));
    }

    public String toJson() {
        return Keysets.toJson(keyset);
    }

    public int primaryKeyId() {
        return keyset.getPrimary().getId();
    }

    /** This keyset plus a fresh key that becomes the primary; the older keys stay for lookups. */
    public BlindIndex rotated() {
        try {
            return new BlindIndex(KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(Keysets.indexParameters())
                            .withRandomId()
                            .makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot add a key to the index keyset", e);
        }
    }

    /** The index under the primary key: what is stored from now on. */
    public byte[] compute(String purpose, String value) {
        return compute(primary, purpose, value);
    }

    /** The index under every key, the primary's first: what a lookup tries. */
    public List<byte[]> computeAll(String purpose, String value) {
        return all.stream().map(mac -> compute(mac, purpose, value)).toList();
    }

    private static byte[] compute(Mac mac, String purpose, String value) {
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
