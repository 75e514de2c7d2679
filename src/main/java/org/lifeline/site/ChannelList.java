package org.lifeline.site;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.StringJoiner;

import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.SignatureConfig;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signed list of official channels ({@code /.well-known/lifeline-channels.json}), so that people and tools can
 * tell our channels from look-alikes. The document carries the channel list as a JSON text in {@code payload} and an
 * Ed25519 signature of exactly that text's UTF-8 bytes in {@code signature}: no canonical-JSON rules to agree on.
 */
@Component
public class ChannelList {

    static final String ALGORITHM = "Ed25519";

    private static final JsonMapper json = JsonMapper.shared();

    private final OfficialChannels channels;
    private final String document;
    private final String publicKeyset;
    private final String fingerprint;

    ChannelList(SiteSettings settings, SiteSigningKey key) throws GeneralSecurityException {
        this.channels = OfficialChannels.of(settings);
        var payload = payload(channels);
        var signature = key.sign(payload.getBytes(StandardCharsets.UTF_8));
        var document = new LinkedHashMap<String, Object>();
        document.put("payload", payload);
        document.put("algorithm", ALGORITHM);
        document.put("signature", Base64.getEncoder().encodeToString(signature));
        document.put("public_key", "lifeline-channels.pub.json");
        this.document = json.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
        this.publicKeyset = key.publicKeyset();
        this.fingerprint = fingerprint(publicKeyset);
    }

    /** The channels the signed document lists, exactly as it lists them. */
    public OfficialChannels channels() {
        return channels;
    }

    /** The fingerprint of the key that signs {@link #document()}: see {@link #fingerprint(String)}. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The signed document, as served and exported. */
    public String document() {
        return document;
    }

    /** The public keyset (Tink JSON) that verifies {@link #document()}. */
    public String publicKeyset() {
        return publicKeyset;
    }

    /**
     * Checks a channel list document against a public keyset.
     *
     * @return the verified payload: the channel list as JSON text
     * @throws GeneralSecurityException when the signature does not match or the document is not a channel list
     */
    public static String verify(String document, String publicKeyset) throws GeneralSecurityException {
        SignatureConfig.register();
        var verifier = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(publicKeyset)
                .getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
        try {
            var tree = json.readTree(document);
            var payload = tree.path("payload");
            var signature = tree.path("signature");
            if (!payload.isString() || !signature.isString()) {
                throw new GeneralSecurityException("not a signed channel list: payload or signature missing");
            }
            verifier.verify(Base64.getDecoder().decode(signature.asString()), payload.asString().getBytes(StandardCharsets.UTF_8));
            return payload.asString();
        } catch (JacksonException | IllegalArgumentException e) {
            throw new GeneralSecurityException("not a signed channel list: " + e.getMessage(), e);
        }
    }

    /**
     * The fingerprint of a public keyset's primary Ed25519 key, for people to compare with the one printed on
     * leaflets and told by the bot: the SHA-256 of the raw 32-byte public key, 64 upper-case hex digits in groups
     * of four. Short enough to read aloud, long enough that no forged key matches it.
     *
     * @throws GeneralSecurityException when the keyset is not an Ed25519 public keyset
     */
    public static String fingerprint(String publicKeyset) throws GeneralSecurityException {
        SignatureConfig.register();
        if (!(TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(publicKeyset).getPrimary().getKey()
                instanceof Ed25519PublicKey key)) {
            throw new GeneralSecurityException("not an Ed25519 public keyset");
        }
        var digest = MessageDigest.getInstance("SHA-256").digest(key.getPublicKeyBytes().toByteArray());
        var hex = HexFormat.of().withUpperCase().formatHex(digest);
        var grouped = new StringJoiner(" ");
        for (int i = 0; i < hex.length(); i += 4) {
            grouped.add(hex.substring(i, i + 4));
        }
        return grouped.toString();
    }

    private static String payload(OfficialChannels channels) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("version", 1);
        payload.put("phones", channels.phones());
        payload.put("whatsapp", channels.whatsapp());
        payload.put("telegram_bots", channels.telegramBots());
        payload.put("chat", channels.chat());
        payload.put("mirrors", channels.mirrors());
        payload.put("onion", channels.onion());
        return json.writeValueAsString(payload);
    }
}
