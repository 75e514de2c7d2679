package org.lifeline.privacy.envelope;

import java.security.GeneralSecurityException;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.HmacParameters;
import com.google.crypto.tink.mac.MacConfig;

/** Generates and (de)serializes the two long-lived keysets as Tink JSON, the form secret stores hold them in. */
public final class Keysets {

    static {
        try {
            AeadConfig.register();
            MacConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final Parameters DATA_KEY = PredefinedAeadParameters.AES256_GCM;

    private Keysets() {
    }

    /** A new master keyset: one AES256-GCM key that wraps data keys. */
    public static String newMasterKeyset() {
        return toJson(generate(PredefinedAeadParameters.AES256_GCM));
    }

    /** A new blind-index keyset: HMAC-SHA256 without a key-id prefix, so index values depend on the key alone. */
    public static String newIndexKeyset() {
        return toJson(generate(indexParameters()));
    }

    static HmacParameters indexParameters() {
        try {
            return HmacParameters.builder()
                    .setKeySizeBytes(32)
                    .setTagSizeBytes(32)
                    .setHashType(HmacParameters.HashType.SHA256)
                    .setVariant(HmacParameters.Variant.NO_PREFIX)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot define the blind-index key parameters", e);
        }
    }

    static KeysetHandle generate(Parameters parameters) {
        try {
            return KeysetHandle.generateNew(parameters);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot generate a key", e);
        }
    }

    static <P> P primitive(KeysetHandle handle, Class<P> type, String what) {
        try {
            return handle.getPrimitive(RegistryConfiguration.get(), type);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("The " + what + " cannot serve as " + type.getSimpleName(), e);
        }
    }

    static KeysetHandle parse(String json, String what) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            // the cause is left out: parser messages may quote parts of the secret
            throw new EnvelopeException("The " + what + " is not a valid Tink JSON keyset", null);
        }
    }

    static String toJson(KeysetHandle handle) {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("Cannot serialize a keyset", e);
        }
    }
}
