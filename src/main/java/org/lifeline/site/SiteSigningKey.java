package org.lifeline.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import org.lifeline.platform.DataDirectory;
import org.springframework.stereotype.Component;

/**
 * The Ed25519 key that signs the list of official channels. Raw output (no Tink key-id prefix), so the signature
 * is plain Ed25519 that any tool can check once it has the public key.
 */
@Component
class SiteSigningKey {

    static final String DEFAULT_FILE = "site-signing.json";

    private final PublicKeySign signer;
    private final String publicKeyset;

    SiteSigningKey(SiteSettings settings, DataDirectory dataDirectory) throws GeneralSecurityException {
        SignatureConfig.register();
        var keyset = settings.signingKeyset() != null
                ? read(settings.signingKeyset())
                : readOrCreate(dataDirectory.directory("keys").resolve(DEFAULT_FILE));
        this.signer = keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
        this.publicKeyset = TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(keyset.getPublicKeysetHandle());
    }

    byte[] sign(byte[] data) throws GeneralSecurityException {
        return signer.sign(data);
    }

    /** The public keyset in Tink's JSON format, for publishing. */
    String publicKeyset() {
        return publicKeyset;
    }

    /** A configured keyset must exist: generating a new one would silently change the published key. */
    private static KeysetHandle read(Path file) throws GeneralSecurityException {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("lifeline.site.signing-keyset: cannot read " + file);
        }
        return parse(file);
    }

    private static KeysetHandle readOrCreate(Path file) throws GeneralSecurityException {
        if (Files.exists(file)) {
            return parse(file);
        }
        var keyset = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput);
        DataDirectory.writeSecret(file, TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get())
                .getBytes(StandardCharsets.UTF_8));
        return keyset;
    }

    private static KeysetHandle parse(Path file) throws GeneralSecurityException {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the site signing keyset " + file, e);
        }
    }
}
