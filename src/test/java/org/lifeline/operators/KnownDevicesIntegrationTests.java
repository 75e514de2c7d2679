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
