package org.lifeline.site;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;

import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
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

    private final String document;
    private final String publicKeyset;

    ChannelList(SiteSettings settings, SiteSigningKey key) throws GeneralSecurityException {
        var payload = payload(settings);
        var signature = key.sign(payload.getBytes(StandardCharsets.UTF_8));
        var document = new LinkedHashMap<String, Object>();
        document.put("payload", payload);
        document.put("algorithm", ALGORITHM);
        document.put("signature", Base64.getEncoder().encodeToString(signature));
        document.put("public_key", "lifeline-channels.pub.json");
        this.document = json.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
        this.publicKeyset = key.publicKeyset();
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

    private static String payload(SiteSettings settings) {
        var channels = new LinkedHashMap<String, Object>();
        channels.put("version", 1);
        channels.put("phones", settings.phones());
        channels.put("whatsapp", settings.whatsapp());
        channels.put("telegram_bots", settings.telegramBots().stream().map(bot -> "@" + bot).toList());
        channels.put("chat", settings.chatEntryPoints().stream().map(Object::toString).toList());
        channels.put("mirrors", settings.mirrors().stream().map(Object::toString).toList());
        channels.put("onion", settings.onionAddress());
        return json.writeValueAsString(channels);
    }
}
