package org.lifeline.webchat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import com.google.crypto.tink.subtle.AesGcmJce;
import org.lifeline.privacy.DataProtection;

/**
 * A chat started and not yet spoken in, held by the browser alone: its cookie carries the start sealed by us (AES-GCM
 * under a key drawn from the index key, so that every node reads it and nobody else can read or make one), and the
 * server keeps nothing. The first post turns it into a stored start and a session; until then it is what the start
 * would have stored: the start's nonce (the stored start's idempotency key, so that the token replayed stores one
 * start), when it was made, the page's language, the chat's identity (the codename's keyed hash, never the codename)
 * and the campaign's entry code, if any. A rotation of the index key does not end a start made just before it.
 */
final class StartTokens {

    /** What a start token looks like in the cookie; a session's token never holds a dot. */
    static final String PREFIX = "s.";
    private static final int MAX_LENGTH = 400;
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_-]{0,100}");
    private static final byte[] PURPOSE = "webchat.start".getBytes(StandardCharsets.US_ASCII);
    private static final String KEY_PURPOSE = "webchat.start-key";
    private static final String KEY_NAME = "1";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final DataProtection protection;
    private final Clock clock;
    private final Duration validFor;

    StartTokens(DataProtection protection, Clock clock, Duration validFor) {
        this.protection = protection;
        this.clock = clock;
        this.validFor = validFor;
    }

    /** A start not yet stored. */
    record Start(String nonce, Instant issued, String language, String senderId, String entryCode) {
    }

    static boolean looksLikeOne(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    String issue(String nonce, String language, byte[] identity, String entryCode) {
        var plain = String.join("|", nonce, Long.toString(clock.instant().getEpochSecond()), language,
                HexFormat.of().formatHex(identity), entryCode == null ? "" : entryCode);
        try {
            return PREFIX + BASE64.encodeToString(aead(protection.blindIndex(KEY_PURPOSE, KEY_NAME))
                    .encrypt(plain.getBytes(StandardCharsets.UTF_8), PURPOSE));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a web chat start", e);
        }
    }

    /** The start a token holds, if we made it and it is younger than its validity; empty for anything else. */
    Optional<Start> open(String token) {
        if (!looksLikeOne(token) || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            var sealed = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
            var opened = unseal(sealed);
            if (opened == null) {
                return Optional.empty();
            }
            var plain = new String(opened, StandardCharsets.UTF_8);
            var parts = plain.split("\\|", -1);
            if (parts.length != 5) {
                return Optional.empty();
            }
            var issued = Instant.ofEpochSecond(Long.parseLong(parts[1]));
            if (issued.plus(validFor).isBefore(clock.instant())) {
                return Optional.empty();
            }
            for (var part : parts) {
                if (!FIELD.matcher(part).matches()) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Start(parts[0], issued, parts[2], parts[3], parts[4].isEmpty() ? null : parts[4]));
        } catch (GeneralSecurityException | IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Under the key drawn from the current index key or, for a start made just before the index key was rotated, from
     * the one before, for as long as a start made under it can be valid (then no more: a leaked older key makes none).
     * Null when none opens it.
     */
    private byte[] unseal(byte[] sealed) throws GeneralSecurityException {
        for (var key : protection.blindIndexesAfter(KEY_PURPOSE, KEY_NAME, clock.instant().minus(validFor))) {
            try {
                return aead(key).decrypt(sealed, PURPOSE);
            } catch (GeneralSecurityException e) {
                // not sealed under this key: the next one, if any
            }
        }
        return null;
    }

    /** Drawn from an index key, as every node has it. */
    private static AesGcmJce aead(byte[] indexKeyed) throws GeneralSecurityException {
        return new AesGcmJce(Challenges.sha256(HexFormat.of().formatHex(indexKeyed)));
    }
}
