package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.operators.OperatorAdministration.NewOperator;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.ManualClock;
import org.lifeline.testing.ManualClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * Browsers known to an account (device cookies) against someone who stole one: his wrong passwords count against the
 * stolen token alone, not the node's budget of failed sign-ins that everyone else's new browsers share, and after a
 * few the token is trusted no more. A small budget (10 failures a minute), in a context of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"spring.datasource.hikari.maximum-pool-size=5",
                "lifeline.operators.password-failures-per-minute=10"})
@Import(ManualClockConfiguration.class)
@Tag("integration")
@ExtendWith(DatabaseAvailability.class)
class KnownDevicesIntegrationTests {

    private static final String PASSWORD = "a long enough password";

    @Autowired
    OperatorLogin login;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    OperatorsSettings settings;

    @Autowired
    ManualClock clock;

    @Test
    void aKnownBrowsersWrongPasswordsCountAgainstItsTokenAloneAndSoonVoidIt() {
        assertThat(settings.passwordFailuresPerMinute()).isEqualTo(10);
        clock.advance(Duration.ofMinutes(2)); // past another test's failures
        var stolen = newAccount();
        var other = newAccount();
        var stolenToken = deviceTokenOf(stolen);
        var otherToken = deviceTokenOf(other);
        clock.advance(Duration.ofMinutes(2));

        // whoever holds the first account's device cookie guesses its password
        for (int i = 0; i < KnownDevices.FAILURES_ALLOWED; i++) {
            assertThat(login.checkPassword(stolen.operator().username(), PASSWORD + i, stolenToken)).isEmpty();
        }
        // the node's budget is not his to spend: a browser the other account never used still signs in
        for (int i = 0; i < settings.passwordFailuresPerMinute() - 1; i++) {
            assertThat(login.checkPassword("nobody-" + i, PASSWORD)).isEmpty();
        }
        assertThat(login.checkPassword(other.operator().username(), PASSWORD)).isPresent();
        assertThat(login.checkPassword("nobody-else", PASSWORD)).isEmpty();

        // with the budget spent, the guessed token is trusted no more; the other account's known browser still is
        assertThatThrownBy(() -> login.checkPassword(stolen.operator().username(), PASSWORD, stolenToken))
                .isInstanceOf(SignInBusy.class);
        assertThat(login.checkPassword(other.operator().username(), PASSWORD, otherToken)).isPresent();
    }

    @Test
    void otherSpellingsOfAGuessedTokenAreNotKnownEither() {
        clock.advance(Duration.ofMinutes(2)); // past another test's failures
        var stolen = newAccount();
        var stolenToken = deviceTokenOf(stolen);
        clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < KnownDevices.FAILURES_ALLOWED; i++) {
            assertThat(login.checkPassword(stolen.operator().username(), PASSWORD + i, stolenToken)).isEmpty();
        }
        // Base64 decodes the same bytes from other spellings: with padding, or with the unused low bits of the last
        // character set. Each was a token with five fresh guesses; none is known now, so each spends the node's budget
        var spellings = new java.util.ArrayList<String>();
        spellings.add(stolenToken + "=".repeat((4 - stolenToken.length() % 4) % 4));
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = alphabet.indexOf(stolenToken.charAt(stolenToken.length() - 1));
        var unusedBits = switch (stolenToken.length() % 4) {
            case 2 -> 4;
            case 3 -> 2;
            default -> 0;
        };
        for (int low = 1; low < (1 << unusedBits); low++) {
            spellings.add(stolenToken.substring(0, stolenToken.length() - 1) + alphabet.charAt(last ^ low));
        }
        assertThat(spellings).hasSizeGreaterThan(1);
        assertThat(spellings).allSatisfy(spelling -> assertThat(java.util.Base64.getUrlDecoder().decode(spelling))
                .isEqualTo(java.util.Base64.getUrlDecoder().decode(stolenToken)));
        // whoever holds them guesses on: every wrong password now counts against the node's budget, which runs out
        int checked = 0;
        try {
            for (var spelling : spellings) {
                for (int i = 0; i < KnownDevices.FAILURES_ALLOWED; i++) {
                    assertThat(login.checkPassword(stolen.operator().username(), PASSWORD + "!" + i, spelling))
                            .isEmpty();
                    checked++;
                }
            }
        } catch (SignInBusy expected) {
            // the budget ran out
        }
        assertThat(checked).isEqualTo(settings.passwordFailuresPerMinute());
    }

    private NewOperator newAccount() {
        return administration.createEnrolled("device-" + UUID.randomUUID().toString().substring(0, 8), Role.OPERATOR,
                PASSWORD);
    }

    private String deviceTokenOf(NewOperator account) {
        var first = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();
        var totp = new Totp(clock);
        var signedIn = login.checkCode(first, totp.code(account.enrolment().secret(), totp.currentStep())).orElseThrow();
        clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        return login.deviceToken(signedIn).orElseThrow();
    }
}
