package org.lifeline.webchat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.lifeline.platform.Bounded;
import org.lifeline.privacy.DataProtection;

/**
 * The friction before a chat is started or resumed, with no third party: a token signed by us (a keyed hash) that
 * binds a random nonce, its time, a small sum, the work asked for, what it is for and, for a start, the codename
 * offered on the page. A browser's script proves work on it (a SHA-256 of {@code token:n} with {@code bits} leading
 * zero bits, more when the chat is busy); without JavaScript the person types the sum. A solved token opens at most
 * {@link #USES} sessions (a double submit, the back button, several tabs), so replaying one costs the same work again;
 * a resume's token, whose signature binds no codename, is bound to the first codename it is used with.
 */
final class Challenges {

    static final Duration VALID_FOR = Duration.ofMinutes(30);
    static final String START = "start";
    static final String RESUME = "resume";
    /** Sessions one solved challenge may open. */
    static final int USES = 3;
    /** Used challenges remembered of each kind (well beyond the tokens solved in {@link #VALID_FOR} under the limits). */
    static final int REMEMBERED = 100_000;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final String CHALLENGE = "webchat.challenge";
    private static final String FORM = "webchat.form";

    private final DataProtection protection;
    private final Clock clock;
    private final int bits;
    private final SecureRandom random = new SecureRandom();
    /**
     * Challenges used, by nonce, met by the browser's work: only work fills this memory, so pushing one out (to use
     * it again) takes {@link #REMEMBERED} other challenges worked in its half hour, far more work than solving it again.
     */
    private final java.util.Map<String, Use> usedWorked = Bounded.map(REMEMBERED);
    /**
     * Challenges used met by the typed sum alone, apart: a script types sums for nothing, and its flood of them pushes
     * out only typed ones, which it could as well have had anew for nothing. Neither memory, full, refuses anything
     * (the oldest entry is forgotten), so no flood keeps a real start or resume out.
     */
    private final java.util.Map<String, Use> usedTyped = Bounded.map(REMEMBERED);

    /** How often a challenge was used, and the keyed hash of the codename it is bound to ("" for a start's). */
    private record Use(String boundTo, int count) {
    }

    Challenges(DataProtection protection, Clock clock, int bits) {
        this.protection = protection;
        this.clock = clock;
        this.bits = bits;
    }

    /**
     * A challenge offered on the start page, with the codename shown beside it; once verified, {@code worked} says
     * whether it was met by the browser's work rather than the typed sum.
     */
    record Challenge(String token, int a, int b, String codename, int bits, boolean worked) {

        /** The nonce, which identifies this start (a double submit repeats it). */
        String nonce() {
            return token.split("\\.")[0];
        }
    }

    /** A start's challenge at the base difficulty. */
    Challenge issue(String codename) {
        return issue(START, codename, 0);
    }

    /**
     * @param purpose {@link #START} (bound to the codename offered) or {@link #RESUME} (codename ignored)
     * @param extraBits work asked for beyond the base, as load rises
     */
    Challenge issue(String purpose, String codename, int extraBits) {
        var nonce = new byte[16];
        random.nextBytes(nonce);
        var a = 1 + random.nextInt(9);
        var b = 1 + random.nextInt(9);
        var required = Math.min(24, bits + extraBits);
        var body = BASE64.encodeToString(nonce) + "." + clock.instant().getEpochSecond() + "." + a + "." + b + "."
                + required;
        return new Challenge(body + "." + mac(body, purpose, codename), a, b, codename, required, false);
    }

    /** A start's challenge, if met. */
    Optional<Challenge> verify(String token, String codename, String work, String answer) {
        return verify(START, token, codename, work, answer);
    }

    /**
     * The challenge, if the token is ours, fresh and bound to this purpose (and codename), and either the work or
     * the typed sum is right.
     */
    Optional<Challenge> verify(String purpose, String token, String codename, String work, String answer) {
        var parts = token == null || token.length() > 200 ? new String[0] : token.split("\\.");
        if (parts.length != 6) {
            return Optional.empty();
        }
        var body = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3] + "." + parts[4];
        if (!signed(CHALLENGE, macInput(body, purpose, codename), parts[5])) {
            return Optional.empty();
        }
        try {
            var issued = Instant.ofEpochSecond(Long.parseLong(parts[1]));
            if (issued.plus(VALID_FOR).isBefore(clock.instant())) {
                return Optional.empty();
            }
            var a = Integer.parseInt(parts[2]);
            var b = Integer.parseInt(parts[3]);
            var required = Integer.parseInt(parts[4]);
            var met = worked(token, work, required);
            // work found while the chat was quiet pays only for a while, as a message form's does: a challenge
            // fetched then keeps its lower work for its whole validity, and could be stored up for a flood later.
            // Older work still meets the challenge, as the typed sum does, and is counted as that
            var worked = met && !issued.plus(FORM_PAID_FOR).isBefore(clock.instant());
            var solved = met || (answer != null && answer.strip().equals(Integer.toString(a + b)));
            return solved ? Optional.of(new Challenge(token, a, b, codename, required, worked)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * How long the work on a message form's token, or on a resume's challenge, pays after the page was shown: long
     * enough to read and type, short enough that work found while the chat was quiet cannot be stored up for a flood
     * later. Past it, a challenge's work still meets it, counted as its typed sum is (under the budgets of those).
     */
    static final Duration FORM_PAID_FOR = Duration.ofMinutes(10);

    /** A message form's token, once verified: {@code bits} is the work it asked for when the page was shown. */
    record Form(String nonce, Instant issued, int bits) {
    }

    /**
     * A message form's token, signed by us and bound to the session it was shown to: a nonce (the post's idempotency
     * key), the time, and the work asked for now, which the browser's script proves on the whole token.
     */
    String formToken(String sessionToken, int bits) {
        var nonce = new byte[16];
        random.nextBytes(nonce);
        var body = BASE64.encodeToString(nonce) + "." + clock.instant().getEpochSecond() + "." + Math.min(24, bits);
        return body + "." + formMac(body, sessionToken);
    }

    /** The form of a token we issued to this session; empty for anything else. */
    Optional<Form> form(String token, String sessionToken) {
        var parts = token == null || token.length() > 120 ? new String[0] : token.split("\\.");
        if (parts.length != 4 || sessionToken == null) {
            return Optional.empty();
        }
        var body = parts[0] + "." + parts[1] + "." + parts[2];
        if (!signed(FORM, body + "|" + sessionToken, parts[3])) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Form(parts[0], Instant.ofEpochSecond(Long.parseLong(parts[1])),
                    Integer.parseInt(parts[2])));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Whether a form's work still pays for its post ({@link #FORM_PAID_FOR}). */
    boolean paysNow(Form form) {
        return !form.issued().plus(FORM_PAID_FOR).isBefore(clock.instant());
    }

    /** Counts one session opened with a solved start challenge; false once it has opened {@link #USES}. */
    boolean use(Challenge challenge) {
        return use(challenge, "", false);
    }

    /**
     * Counts one session opened with a solved resume challenge for a codename: the first one used binds it, so it
     * opens at most {@link #USES} sessions of that codename's chat and none of another (a guesser pays for each guess).
     */
    boolean use(Challenge challenge, String normalisedCodename) {
        return use(challenge, BASE64.encodeToString(protection.blindIndex("webchat.challenge-use", normalisedCodename)),
                false);
    }

    /** Uses a challenge up, whatever is left of it: after a codename found nowhere, it guesses no more. */
    void useUp(Challenge challenge) {
        use(challenge, null, true);
    }

    private boolean use(Challenge challenge, String boundTo, boolean upAll) {
        var nonce = challenge.nonce();
        synchronized (usedWorked) {
            var worked = usedWorked.containsKey(nonce) || challenge.worked();
            var before = usedWorked.containsKey(nonce) ? usedWorked.get(nonce) : usedTyped.remove(nonce);
            var memory = worked ? usedWorked : usedTyped;
            if (upAll) {
                memory.put(nonce, new Use(before == null ? "" : before.boundTo(), USES));
                return false;
            }
            if (before != null && (before.count() >= USES || !before.boundTo().equals(boundTo))) {
                memory.put(nonce, before);
                return false;
            }
            memory.put(nonce, new Use(boundTo, before == null ? 1 : before.count() + 1));
            return true;
        }
    }

    /** Whether {@code work} is a number whose SHA-256 with the token ({@code token:work}) has the bits required. */
    static boolean worked(String token, String work, int required) {
        if (work == null || !work.matches("[0-9]{1,12}")) {
            return false;
        }
        return leadingZeroBits(sha256(token + ":" + work)) >= required;
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

    private String formMac(String body, String sessionToken) {
        return BASE64.encodeToString(protection.blindIndex(FORM, body + "|" + sessionToken));
    }

    private String mac(String body, String purpose, String codename) {
        return BASE64.encodeToString(protection.blindIndex(CHALLENGE, macInput(body, purpose, codename)));
    }

    private static String macInput(String body, String purpose, String codename) {
        var boundTo = START.equals(purpose) ? Codenames.normalise(codename) : "";
        return body + "|" + purpose + "|" + boundTo;
    }

    /**
     * Whether {@code given} is our signature of {@code input}: under the current index key or, for a page shown just
     * before the index key was rotated, the one before, as long as what was shown then can still be posted
     * ({@link #VALID_FOR}, a session's idle time by default).
     */
    private boolean signed(String purpose, String input, String given) {
        var bytes = given.getBytes(StandardCharsets.US_ASCII);
        for (var mac : protection.blindIndexesAfter(purpose, input, clock.instant().minus(VALID_FOR))) {
            if (MessageDigest.isEqual(BASE64.encodeToString(mac).getBytes(StandardCharsets.US_ASCII), bytes)) {
                return true;
            }
        }
        return false;
    }
}
