package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lifeline.testing.ManualClock;

class TotpTests {

    /** RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in Base32. */
    private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    private final ManualClock clock = new ManualClock(Instant.ofEpochSecond(1_111_111_109L));
    private final Totp totp = new Totp(clock);

    @ParameterizedTest
    @CsvSource({
            "59, 94287082",
            "1111111109, 07081804",
            "1111111111, 14050471",
            "1234567890, 89005924",
            "2000000000, 69279037",
            "20000000000, 65353130"
    })
    void matchesTheRfc6238TestVectors(long seconds, String eightDigits) {
        var at = new ManualClock(Instant.ofEpochSecond(seconds));

        var step = new Totp(at).currentStep();

        assertThat(new Totp(at, 8).code(RFC_SECRET, step)).isEqualTo(eightDigits);
        // six digits are the same truncation modulo 10^6
        assertThat(new Totp(at).code(RFC_SECRET, step)).isEqualTo(eightDigits.substring(2));
        assertThat(new Totp(at).acceptedStep(RFC_SECRET, eightDigits.substring(2), -1)).hasValue(step);
    }

    @Test
    void acceptsTheCurrentCodeAndOneStepEitherSide() {
        var now = totp.currentStep();

        assertThat(totp.acceptedStep(RFC_SECRET, totp.code(RFC_SECRET, now - 1), -1)).hasValue(now - 1);
        assertThat(totp.acceptedStep(RFC_SECRET, totp.code(RFC_SECRET, now + 1), -1)).hasValue(now + 1);
        assertThat(totp.acceptedStep(RFC_SECRET, totp.code(RFC_SECRET, now - 2), -1)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, totp.code(RFC_SECRET, now + 2), -1)).isEmpty();
    }

    @Test
    void refusesACodeWhoseStepWasUsedAlready() {
        var now = totp.currentStep();
        var code = totp.code(RFC_SECRET, now);

        assertThat(totp.acceptedStep(RFC_SECRET, code, now - 1)).hasValue(now);
        assertThat(totp.acceptedStep(RFC_SECRET, code, now)).as("replayed in the same step").isEmpty();
        clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        assertThat(totp.acceptedStep(RFC_SECRET, code, now)).as("replayed a step later").isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, totp.code(RFC_SECRET, now + 1), now)).hasValue(now + 1);
    }

    @Test
    void refusesWrongAndMalformedCodes() {
        var right = totp.code(RFC_SECRET, totp.currentStep());
        var wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);

        assertThat(totp.acceptedStep(RFC_SECRET, wrong, -1)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, right + "0", -1)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, "", -1)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, "abcdef", -1)).isEmpty();
    }

    @Test
    void newSecretsAre160RandomBitsInBase32() {
        var secret = Totp.newSecret();

        assertThat(secret).matches("[A-Z2-7]{32}").isNotEqualTo(Totp.newSecret());
    }

    @Test
    void uriFollowsTheKeyUriFormat() {
        assertThat(Totp.uri("Lifeline", "alice", RFC_SECRET)).isEqualTo("otpauth://totp/Lifeline%3Aalice?secret="
                + RFC_SECRET + "&issuer=Lifeline&algorithm=SHA1&digits=6&period=30");
    }
}
