package org.lifeline.channels.webchat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.lifeline.privacy.DataProtection;

/**
 * The friction before a new chat, with no third party and no state: a token signed by us (a keyed hash) that binds
 * a random nonce, its time, a small sum and the codename offered on the page. A browser's script proves work on it
 * (a SHA-256 of {@code token:n} with {@code bits} leading zero bits); without JavaScript the person types the sum.
 * Replaying a solved token only reopens the same codename's chat, so nothing records used tokens.
 */
final class Challenges {

    static final Duration VALID_FOR = Duration.ofMinutes(30);
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final DataProtection protection;
    private final Clock clock;
    private final int bits;
    private final SecureRandom random = new SecureRandom();

    Challenges(DataProtection protection, Clock clock, int bits) {
        this.protection = protection;
        this.clock = clock;
        this.bits = bits;
    }

    /** A challenge offered on the start page, with the codename shown beside it. */
    record Challenge(String token, int a, int b, String codename, int bits) {

        /** The nonce, which identifies this start (a double submit repeats it). */
        String nonce() {
            return token.split("\\.")[0];
        }
    }

    Challenge issue(String codename) {
        var nonce = new byte[16];
        random.nextBytes(nonce);
        var a = 1 + random.nextInt(9);
        var b = 1 + random.nextInt(9);
        var body = BASE64.encodeToString(nonce) + "." + clock.instant().getEpochSecond() + "." + a + "." + b;
        return new Challenge(body + "." + mac(body, codename), a, b, codename, bits);
    }

    /**
     * The challenge, if the token is ours, fresh and bound to this codename, and either the work or the typed sum
     * is right.
     */
    Optional<Challenge> verify(String token, String codename, String work, String answer) {
        var parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 5) {
            return Optional.empty();
        }
        var body = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
        if (!MessageDigest.isEqual(mac(body, codename).getBytes(StandardCharsets.US_ASCII),
                parts[4].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            var issued = Instant.ofEpochSecond(Long.parseLong(parts[1]));
            if (issued.plus(VALID_FOR).isBefore(clock.instant())) {
                return Optional.empty();
            }
            var a = Integer.parseInt(parts[2]);
            var b = Integer.parseInt(parts[3]);
            var solved = worked(token, work) || (answer != null && answer.strip().equals(Integer.toString(a + b)));
            return solved ? Optional.of(new Challenge(token, a, b, codename, bits)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean worked(String token, String work) {
        if (work == null || !work.matches("[0-9]{1,12}")) {
            return false;
        }
        return leadingZeroBits(sha256(token + ":" + work)) >= bits;
    }

    static int leadingZeroBits(byte[] hash) {
        var zeros = 0;
        for (var b : hash) {
            if (b == 0) {
                zeros += 8;
                continue;
            }
            return zeros + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return zeros;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String mac(String body, String codename) {
        return BASE64.encodeToString(protection.blindIndex("webchat.challenge", body + "|" + Codenames.normalise(codename)));
    }
}
