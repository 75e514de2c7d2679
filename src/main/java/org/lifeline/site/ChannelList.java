package org.lifeline.site;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.StringJoiner;

import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.subtle.Ed25519Verify;
import com.google.crypto.tink.signature.SignatureConfig;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signed list of official channels ({@code /.well-known/lifeline-channels.json}), so that people and tools can
 * tell our channels from look-alikes. The document carries the channel list as a JSON text in {@code payload} and an
 * Ed25519 signature of exactly that text's UTF-8 bytes in {@code signature}: no canonical-JSON rules to agree on.
 * <p>
 * The payload says when it was signed ({@code issued_at}) and until when it holds ({@code expires_at}), and a list
 * past its expiry does not verify: otherwise a copy signed before a mirror or a bot was seized and withdrawn would
 * vouch for it for ever, served by whoever holds it now. The server signs afresh once half the validity has passed,
 * so the list it serves always has at least that half ahead of it; of two lists that verify, the later
 * {@code issued_at} is the current one.
 */
@Component
public class ChannelList {

    static final String ALGORITHM = "Ed25519";
    /** The payload's format: 2 since it carries {@code issued_at} and {@code expires_at}. */
    static final int VERSION = 2;

    /** The longest a list may hold after it is signed: a longer one would vouch for a withdrawn channel too long. */
    public static final Duration LONGEST_VALIDITY = Duration.ofDays(90);
    /** How far ahead of this machine's clock a list's signing time may be (the signer's clock ran fast). */
    static final Duration CLOCK_SKEW = Duration.ofDays(1);

    /** Reads refuse a key given twice: a reader that takes the first would see another list than one taking the last. */
    private static final JsonMapper json = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final OfficialChannels channels;
    private final SiteSigningKey key;
    private final Duration validity;
    private final Clock clock;
    private final String publicKeyset;
    private final String fingerprint;
    private volatile Signed current;

    /** A signed document and when to sign the next one. */
    private record Signed(String document, Instant renewAt) {
    }

    /** What a list that verified says, beside its channels. */
    public record Verified(String payload, Instant issuedAt, Instant expiresAt) {
    }

    ChannelList(SiteSettings settings, SiteSigningKey key, Clock clock) throws GeneralSecurityException {
        this.channels = OfficialChannels.of(settings);
        this.key = key;
        this.validity = settings.channelListValidity();
        this.clock = clock;
        this.publicKeyset = key.publicKeyset();
        this.fingerprint = fingerprint(publicKeyset);
        this.current = sign();
    }

    /** The channels the signed document lists, exactly as it lists them. */
    public OfficialChannels channels() {
        return channels;
    }

    /** The fingerprint of the key that signs {@link #document()}: see {@link #fingerprint(String)}. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The signed document, as served and exported: signed afresh once half its validity has passed. */
    public String document() {
        var signed = current;
        if (clock.instant().isBefore(signed.renewAt())) {
            return signed.document();
        }
        synchronized (this) {
            if (current == signed) {
                try {
                    current = sign();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the channel list could not be signed", e);
                }
            }
            return current.document();
        }
    }

    /** The public keyset (Tink JSON) that verifies {@link #document()}. */
    public String publicKeyset() {
        return publicKeyset;
    }

    /**
     * Checks a channel list document against a public keyset, and that it has not expired by this machine's clock.
     *
     * @return the verified payload: the channel list as JSON text
     * @throws GeneralSecurityException when the signature does not match, the document is not a channel list or it
     *         has expired
     */
    public static String verify(String document, String publicKeyset) throws GeneralSecurityException {
        return verify(document, publicKeyset, Instant.now()).payload();
    }

    /**
     * Checks a channel list document against a public keyset, and that it holds at {@code now}: signed with an
     * expiry that has not passed. A list without one (the first format's) never expires, so it does not verify.
     *
     * @throws GeneralSecurityException when the signature does not match, the document is not a channel list or it
     *         does not hold at {@code now}; the message says which, and never repeats the document
     */
    public static Verified verify(String document, String publicKeyset, Instant now) throws GeneralSecurityException {
        var payload = signedPayload(document, publicKeyset);
        Instant issuedAt;
        Instant expiresAt;
        try {
            var tree = json.readTree(payload);
            issuedAt = Instant.parse(tree.path("issued_at").asString(""));
            expiresAt = Instant.parse(tree.path("expires_at").asString(""));
        } catch (JacksonException | DateTimeParseException e) {
            throw new GeneralSecurityException("not a current channel list: it says no time it was signed or until when it holds");
        }
        if (!issuedAt.isBefore(expiresAt)) {
            throw new GeneralSecurityException("not a current channel list: it expires before it was signed");
        }
        if (Duration.between(issuedAt, expiresAt).compareTo(LONGEST_VALIDITY) > 0) {
            throw new GeneralSecurityException("not a current channel list: it claims to hold for more than "
                    + LONGEST_VALIDITY.toDays() + " days");
        }
        if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new GeneralSecurityException("not a current channel list: it says it was signed on " + issuedAt
                    + ", later than this machine's clock allows");
        }
        if (now.isAfter(expiresAt)) {
            throw new GeneralSecurityException("this channel list expired on " + expiresAt + " (signed on " + issuedAt
                    + "): an old copy, perhaps kept by a mirror since withdrawn; take the current one from a live mirror");
        }
        return new Verified(payload, issuedAt, expiresAt);
    }

    private static String signedPayload(String document, String publicKeyset) throws GeneralSecurityException {
        var verifier = Ed25519Verify.create(theKey(publicKeyset));
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
            throw new GeneralSecurityException("not a signed channel list: not JSON with a payload and a signature");
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
        var key = theKey(publicKeyset);
        var digest = MessageDigest.getInstance("SHA-256").digest(key.getPublicKeyBytes().toByteArray());
        var hex = HexFormat.of().withUpperCase().formatHex(digest);
        var grouped = new StringJoiner(" ");
        for (int i = 0; i < hex.length(); i += 4) {
            grouped.add(hex.substring(i, i + 4));
        }
        return grouped.toString();
    }

    /**
     * The one key of a channel list's public keyset. A keyset of several would verify a list signed by any of them
     * while its fingerprint named only the primary: whoever adds his own key beside ours could pass a forged list
     * off under our fingerprint.
     */
    private static Ed25519PublicKey theKey(String publicKeyset) throws GeneralSecurityException {
        SignatureConfig.register();
        var keyset = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(publicKeyset);
        if (keyset.size() != 1 || keyset.getAt(0).getStatus() != KeyStatus.ENABLED
                || !(keyset.getAt(0).getKey() instanceof Ed25519PublicKey key)
                || key.getParameters().getVariant() != Ed25519Parameters.Variant.NO_PREFIX) {
            throw new GeneralSecurityException(
                    "not the channel list's public key: it must hold exactly one Ed25519 key, without a prefix");
        }
        return key;
    }

    private Signed sign() throws GeneralSecurityException {
        var issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        var payload = payload(channels, issuedAt, issuedAt.plus(validity));
        var signature = key.sign(payload.getBytes(StandardCharsets.UTF_8));
        var document = new LinkedHashMap<String, Object>();
        document.put("payload", payload);
        document.put("algorithm", ALGORITHM);
        document.put("signature", Base64.getEncoder().encodeToString(signature));
        document.put("public_key", "lifeline-channels.pub.json");
        return new Signed(json.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n",
                issuedAt.plus(validity.dividedBy(2)));
    }

    private static String payload(OfficialChannels channels, Instant issuedAt, Instant expiresAt) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("version", VERSION);
        payload.put("issued_at", issuedAt.toString());
        payload.put("expires_at", expiresAt.toString());
        payload.put("phones", channels.phones());
        payload.put("whatsapp", channels.whatsapp());
        payload.put("telegram_bots", channels.telegramBots());
        payload.put("chat", channels.chat());
        payload.put("mirrors", channels.mirrors());
        payload.put("onion", channels.onion());
        return json.writeValueAsString(payload);
    }
}
