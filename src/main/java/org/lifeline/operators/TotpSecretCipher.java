package org.lifeline.operators;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.UUID;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import org.lifeline.platform.DataDirectory;
import org.springframework.stereotype.Component;

/**
 * Encrypts TOTP secrets at rest (Tink AES256-GCM), bound to their account. All key handling for this module is in
 * this one class, so it can move onto the privacy module's keys later without touching anything else.
 * The keyset comes from {@code lifeline.operators.totp-keyset}, or from {@code <data-dir>/keys/operators.json},
 * created owner-only on first start.
 */
@Component
class TotpSecretCipher {

    static final String FILE = "operators.json";

    private final Aead aead;

    TotpSecretCipher(OperatorsSettings settings, DataDirectory dataDirectory) {
        try {
            AeadConfig.register();
            var json = settings.keysetConfigured() ? settings.totpKeyset() : keysetFile(dataDirectory.directory("keys"));
            aead = parse(json).getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The TOTP keyset cannot encrypt (lifeline.operators.totp-keyset or "
                    + "<data-dir>/keys/" + FILE + ")", e);
        }
    }

    byte[] encrypt(OperatorId operator, String secret) {
        try {
            return aead.encrypt(secret.getBytes(UTF_8), associatedData(operator));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a TOTP secret", e);
        }
    }

    String decrypt(OperatorId operator, byte[] ciphertext) {
        try {
            return new String(aead.decrypt(ciphertext, associatedData(operator)), UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a TOTP secret: is lifeline.operators.totp-keyset (or "
                    + FILE + ") the same on every node?", e);
        }
    }

    /** A known browser's token ({@link KnownDevices}), bound to the account and apart from its TOTP secret. */
    byte[] encryptDeviceToken(OperatorId operator, String content) {
        try {
            return aead.encrypt(content.getBytes(UTF_8), deviceData(operator));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a device token", e);
        }
    }

    /** Empty for anything we did not seal for this account (tampered, another account's, another keyset's). */
    java.util.Optional<String> decryptDeviceToken(OperatorId operator, byte[] ciphertext) {
        try {
            return java.util.Optional.of(new String(aead.decrypt(ciphertext, deviceData(operator)), UTF_8));
        } catch (GeneralSecurityException e) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] deviceData(OperatorId operator) {
        return ("operator-device:" + operator.value()).getBytes(UTF_8);
    }

    /** A secret copied onto another account's row does not decrypt there. */
    private static byte[] associatedData(OperatorId operator) {
        return ("operator-totp:" + operator.value()).getBytes(UTF_8);
    }

    private static KeysetHandle parse(String json) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            // no cause: parser messages may quote parts of the key
            throw new IllegalStateException("The TOTP keyset is not a valid Tink JSON keyset");
        }
    }

    /** Reads the keyset file, creating it first if absent; a process starting at the same moment reads the winner's. */
    private static String keysetFile(Path keys) throws GeneralSecurityException {
        var file = keys.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                var candidate = keys.resolve(FILE + "." + UUID.randomUUID());
                var handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
                DataDirectory.writeSecret(candidate,
                        TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()).getBytes(UTF_8));
                try {
                    // a hard link appears atomically and never replaces: the first writer wins
                    Files.createLink(file, candidate);
                } catch (FileAlreadyExistsException lost) {
                    // another process created it meanwhile: use theirs
                } finally {
                    Files.delete(candidate);
                }
            }
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the TOTP keyset " + file, e);
        }
    }
}
