package org.lifeline.operators;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.secret.DefaultSecretGenerator;

/**
 * RFC 6238 time-based codes as every authenticator app makes them by default: HMAC-SHA1, six digits, 30-second
 * steps. The library makes codes for a step; which steps count, and that each step counts once, is decided here.
 */
final class Totp {

    static final int DIGITS = 6;
    static final int PERIOD_SECONDS = 30;
    /** Steps either side of now that still count, for phones whose clocks are a little off. */
    static final int DRIFT_STEPS = 1;

    private static final Pattern CODE = Pattern.compile("\\d{" + DIGITS + "}");

    private final Clock clock;
    private final CodeGenerator generator;

    Totp(Clock clock) {
        this(clock, DIGITS);
    }

    /** Other lengths only for checking against the RFC's eight-digit test vectors. */
    Totp(Clock clock, int digits) {
        this.clock = clock;
        this.generator = new DefaultCodeGenerator(HashingAlgorithm.SHA1, digits);
    }

    /** A new secret: 160 random bits, Base32 as authenticator apps take it. */
    static String newSecret() {
        return new DefaultSecretGenerator(32).generate();
    }

    static boolean looksLikeCode(String input) {
        return CODE.matcher(input).matches();
    }

    static String uri(String issuer, String username, String secret) {
        return new QrData.Builder()
                .label(issuer + ":" + username)
                .issuer(issuer)
                .secret(secret)
                .algorithm(HashingAlgorithm.SHA1)
                .digits(DIGITS)
                .period(PERIOD_SECONDS)
                .build()
                .getUri();
    }

    long currentStep() {
        return Math.floorDiv(clock.millis(), PERIOD_SECONDS * 1000L);
    }

    String code(String secret, long step) {
        try {
            return generator.generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException("Cannot compute a TOTP code", e);
        }
    }

    /**
     * The time step whose code {@code input} is, among those near now and after {@code lastUsedStep} (a code counts
     * once: replaying it, even within its 30 seconds, is refused).
     */
    OptionalLong acceptedStep(String secret, String input, long lastUsedStep) {
        if (!looksLikeCode(input)) {
            return OptionalLong.empty();
        }
        var now = currentStep();
        for (var step = Math.max(now - DRIFT_STEPS, lastUsedStep + 1); step <= now + DRIFT_STEPS; step++) {
            if (MessageDigest.isEqual(code(secret, step).getBytes(US_ASCII), input.getBytes(US_ASCII))) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }
}
