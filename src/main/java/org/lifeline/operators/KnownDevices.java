package org.lifeline.operators;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.lifeline.operators.OperatorAccounts.Account;
import org.lifeline.platform.Bounded;
import org.springframework.stereotype.Component;

/**
 * Browsers that completed a sign-in to an account (a "device cookie", as OWASP describes against lockout attacks):
 * the token names the account and, encrypted under the operators' keyset and bound to the account, its security
 * stamp and expiry. Sign-ins from a browser known to the account skip the flood budget and have a password check of
 * their own, so that an outsider flooding the sign-in page cannot keep the operator out. An outsider has no such
 * token; a changed role, a disabled account or a reset second factor voids them all.
 */
@Component
class KnownDevices {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Tokens are small; anything longer is not ours and is not decoded. */
    private static final int LONGEST = 512;

    /**
     * Wrong passwords a known browser may type before its token is trusted no more (on this node): a stolen device
     * cookie must not buy unlimited guesses past the flood budget, as OWASP's scheme says.
     */
    static final int FAILURES_ALLOWED = 5;
    /** Tokens with failures remembered, by their hash (the token itself is a bearer secret); the oldest forgotten. */
    private static final int REMEMBERED = 10_000;

    private final TotpSecretCipher cipher;
    private final OperatorsSettings settings;
    private final java.util.Map<String, Integer> failures = Bounded.map(REMEMBERED);

    KnownDevices(TotpSecretCipher cipher, OperatorsSettings settings) {
        this.cipher = cipher;
        this.settings = settings;
    }

    String issue(Account account, Instant now) {
        var sealed = cipher.encryptDeviceToken(account.id(),
                account.securityStamp() + ":" + now.plus(settings.deviceTtl()).getEpochSecond());
        var id = account.id().value();
        return ENCODER.encodeToString(ByteBuffer.allocate(16 + sealed.length)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).put(sealed).array());
    }

    boolean knows(Account account, String token, Instant now) {
        if (token == null || token.length() > LONGEST
                || failures.getOrDefault(key(token), 0) >= FAILURES_ALLOWED) {
            return false;
        }
        try {
            var decoded = DECODER.decode(token);
            // one spelling per token: Base64 also decodes it padded, or with the last character's unused bits set,
            // and each such spelling would have had failures of its own
            if (!ENCODER.encodeToString(decoded).equals(token)) {
                return false;
            }
            var bytes = ByteBuffer.wrap(decoded);
            if (bytes.remaining() <= 16
                    || !new UUID(bytes.getLong(), bytes.getLong()).equals(account.id().value())) {
                return false;
            }
            var sealed = new byte[bytes.remaining()];
            bytes.get(sealed);
            var content = cipher.decryptDeviceToken(account.id(), sealed);
            if (content.isEmpty()) {
                return false;
            }
            var parts = content.get().split(":");
            return parts.length == 2 && Integer.parseInt(parts[0]) == account.securityStamp()
                    && now.isBefore(Instant.ofEpochSecond(Long.parseLong(parts[1])));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A wrong password typed from the browser of this token: counted against the token alone. */
    void failed(String token) {
        failures.merge(key(token), 1, Integer::sum);
    }

    private static String key(String token) {
        try {
            return ENCODER.encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
