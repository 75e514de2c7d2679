package org.lifeline.privacy.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

/**
 * The key-encryption keyset. Its primary key wraps new data keys; older keys stay in the keyset after rotation so
 * keys they wrapped remain readable until re-wrapped. Each wrapped key is bound to its data key id, so wrapped
 * keys cannot be swapped between rows.
 */
public final class MasterKey {

    private final KeysetHandle keyset;
    private final Aead aead;

    private MasterKey(KeysetHandle keyset) {
        this.keyset = keyset;
        this.aead = Keysets.primitive(keyset, Aead.class, "master keyset");
    }

    public static MasterKey fromJson(String json) {
        return new MasterKey(Keysets.parse(json, "master keyset"));
    }

    public String toJson() {
        return Keysets.toJson(keyset);
    }

    public int primaryKeyId() {
        return keyset.getPrimary().getId();
    }

    /** This keyset plus a fresh AES256-GCM key that becomes the primary. */
    public MasterKey rotated() {
        try {
            return new MasterKey(KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId()
                            .makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot add a key to the master keyset", e);
        }
    }

    /** The ids of the keys other than the primary: older keys kept to unwrap what they wrapped. */
    public Set<Integer> olderKeyIds() {
        var ids = new TreeSet<Integer>();
        for (int i = 0; i < keyset.size(); i++) {
            if (!keyset.getAt(i).isPrimary()) {
                ids.add(keyset.getAt(i).getId());
            }
        }
        return ids;
    }

    /** This keyset with only its primary key: what older keys wrapped can no longer be unwrapped. */
    public MasterKey primaryOnly() {
        var builder = KeysetHandle.newBuilder(keyset);
        for (int i = builder.size() - 1; i >= 0; i--) {
            if (!builder.getAt(i).isPrimary()) {
                builder.deleteAt(i);
            }
        }
        try {
            return new MasterKey(builder.build());
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot remove the older keys from the master keyset", e);
        }
    }

    /** A fresh data key, returned both usable and wrapped for storage. */
    public NewDataKey newDataKey(UUID id) {
        var handle = Keysets.generate(Keysets.DATA_KEY);
        return new NewDataKey(new DataKey(Keysets.primitive(handle, Aead.class, "data key " + id)), wrap(id, handle));
    }

    public DataKey unwrap(UUID id, byte[] wrapped) {
        return new DataKey(Keysets.primitive(parse(id, wrapped), Aead.class, "data key " + id));
    }

    /** The same data key, wrapped again under the current primary master key. */
    public WrappedDataKey rewrap(UUID id, byte[] wrapped) {
        return wrap(id, parse(id, wrapped));
    }

    private WrappedDataKey wrap(UUID id, KeysetHandle dataKey) {
        try {
            return new WrappedDataKey(
                    TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, aead, associatedData(id)), primaryKeyId());
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot wrap data key " + id, e);
        }
    }

    private KeysetHandle parse(UUID id, byte[] wrapped) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, aead, associatedData(id));
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot unwrap data key " + id
                    + ": the master keyset does not hold the key that wrapped it, or the row was altered", e);
        }
    }

    private static byte[] associatedData(UUID id) {
        return ("data_key:" + id).getBytes(UTF_8);
    }

    /** A new data key and its wrapped form. */
    public record NewDataKey(DataKey key, WrappedDataKey wrapped) {
    }
}
