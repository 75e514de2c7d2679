package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorAdministration.NewOperator;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.ManualClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;

@ConsoleTest
class OperatorLoginIntegrationTests {

    private static final String PASSWORD = "a long enough password";

    @Autowired
    OperatorLogin login;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    AccessRecord access;

    @Autowired
    ManualClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OperatorAccounts accounts;

    @Test
    void signsInWithPasswordAndCode() {
        var account = newAccount(Role.COORDINATOR);

        var first = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();
        var signedIn = login.checkCode(first, currentCode(account)).orElseThrow();

        assertThat(signedIn.isAuthenticated()).isTrue();
        assertThat(signedIn.getPrincipal()).isEqualTo(account.operator());
        assertThat(signedIn.getAuthorities()).extracting(Object::toString)
                .contains("ROLE_COORDINATOR", "PLAN_HANDOVER").doesNotContain("MANAGE_USERS", "REPLY");
        assertThat(login.stillValid(signedIn)).isTrue();
    }

    @Test
    void usernamesAreFoundWhateverTheirCase() {
        var account = newAccount(Role.OPERATOR);

        assertThat(login.checkPassword(" " + account.operator().username().toUpperCase() + " ", PASSWORD)).isPresent();
    }

    @Test
    void refusesWrongPasswordsAndUnknownNamesAlike() {
        var account = newAccount(Role.OPERATOR);

        assertThat(login.checkPassword(account.operator().username(), PASSWORD + "!")).isEmpty();
        assertThat(login.checkPassword("nobody-" + UUID.randomUUID().toString().substring(0, 8), PASSWORD)).isEmpty();
    }

    @Test
    void refusesAWrongCodeAndAReplayedOne() {
        var account = newAccount(Role.OPERATOR);
        var code = currentCode(account);
        var first = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();

        assertThat(login.checkCode(first, wrong(code))).isEmpty();
        assertThat(login.checkCode(first, code)).isPresent();
        var again = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();
        assertThat(login.checkCode(again, code)).as("the same code again, within its 30 seconds").isEmpty();
        clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        assertThat(login.checkCode(again, currentCode(account))).as("the next step's code").isPresent();
    }

    @Test
    void aRecoveryCodeWorksOnce() {
        var account = newAccount(Role.SUPERVISOR);
        var recovery = account.enrolment().recoveryCodes().get(3);

        var first = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();
        assertThat(login.checkCode(first, recovery.toUpperCase())).isPresent();
        var second = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();
        assertThat(login.checkCode(second, recovery)).isEmpty();
        assertThat(login.checkCode(second, account.enrolment().recoveryCodes().get(4))).isPresent();
    }

    @Test
    void wrongPasswordsNeverLockTheAccount() {
        var account = newAccount(Role.OPERATOR);
        var username = account.operator().username();
        for (var i = 1; i <= 50; i++) {
            assertThat(login.checkPassword(username, "wrong password " + i)).isEmpty();
        }

        var first = login.checkPassword(username, PASSWORD);
        assertThat(first).as("an outsider who knows the name cannot keep the operator out").isPresent();
        assertThat(login.checkCode(first.get(), currentCode(account))).isPresent();
    }

    @Test
    void wrongCodesLockTheSecondStepForLongerEachTime() {
        var account = newAccount(Role.OPERATOR);
        var username = account.operator().username();
        for (var i = 1; i <= 4; i++) {
            var first = login.checkPassword(username, PASSWORD).orElseThrow();
            assertThat(login.checkCode(first, wrong(currentCode(account)))).isEmpty();
        }
        var fifth = login.checkPassword(username, PASSWORD).orElseThrow();
        assertThat(login.checkCode(fifth, wrong(currentCode(account)))).isEmpty();

        var next = login.checkPassword(username, PASSWORD).orElseThrow();
        assertThat(login.checkCode(next, currentCode(account))).as("locked for 30 s after the fifth").isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(login.checkCode(login.checkPassword(username, PASSWORD).orElseThrow(), currentCode(account)))
                .as("still locked").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        var open = login.checkPassword(username, PASSWORD).orElseThrow();
        assertThat(login.checkCode(open, wrong(currentCode(account)))).as("the sixth failure").isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(login.checkCode(login.checkPassword(username, PASSWORD).orElseThrow(), currentCode(account)))
                .as("the sixth locks for 60 s").isEmpty();
        clock.advance(Duration.ofSeconds(1));

        assertThat(login.checkCode(login.checkPassword(username, PASSWORD).orElseThrow(), currentCode(account)))
                .as("a full sign-in").isPresent();
        clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        for (var i = 1; i <= 4; i++) {
            assertThat(login.checkCode(login.checkPassword(username, PASSWORD).orElseThrow(), wrong(currentCode(account))))
                    .isEmpty();
        }
        assertThat(login.checkCode(login.checkPassword(username, PASSWORD).orElseThrow(), currentCode(account)))
                .as("the count started again").isPresent();
    }

    @Test
    void secondStepsSentAtOnceAreCheckedNoMoreThanTheLockAllows() throws Exception {
        var account = newAccount(Role.OPERATOR);
        var username = account.operator().username();
        var attempts = 24;
        var firsts = new java.util.ArrayList<PasswordAccepted>();
        for (var i = 0; i < attempts; i++) {
            firsts.add(login.checkPassword(username, PASSWORD).orElseThrow());
        }
        var wrongCode = wrong(currentCode(account));
        var start = new java.util.concurrent.CountDownLatch(1);
        var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (var first : firsts) {
                results.add(pool.submit(() -> {
                    start.await();
                    return login.checkCode(first, wrongCode).isPresent();
                }));
            }
            start.countDown();
            for (var result : results) {
                assertThat(result.get()).isFalse();
            }
        }

        var checked = jdbc.sql("select failed_attempts from operator_account where id = :id")
                .param("id", account.operator().id().value()).query(Integer.class).single();
        assertThat(checked).as("codes checked of %d sent at once", attempts).isEqualTo(5);
        assertThat(login.checkCode(login.checkPassword(username, PASSWORD).orElseThrow(), currentCode(account)))
                .as("locked after the fifth, as if they had come one by one").isEmpty();
    }

    @Test
    void aPasswordChangeVoidsAPasswordStepPassedBeforeItAndUndoesNoChangeOfAccessMadeMeanwhile() {
        var account = newAccount(Role.OPERATOR);
        var username = account.operator().username();
        var before = login.checkPassword(username, PASSWORD).orElseThrow();
        var session = signIn(account);
        clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));

        var changed = login.changeOwnPassword(session, PASSWORD, "an entirely different passphrase");

        assertThat(login.stillValid(changed)).isTrue();
        assertThat(login.stillValid(session)).as("the session from before the change").isFalse();
        assertThat(login.checkCode(before, currentCode(account))).as("a password step passed before the change").isEmpty();

        // an admin changes the role while the change is on its way: the change is made from the stamp it saw
        var seen = jdbc.sql("select security_stamp from operator_account where id = :id")
                .param("id", account.operator().id().value()).query(Integer.class).single();
        administration.changeRole(account.operator().id(), Role.COORDINATOR);
        assertThat(accounts.changePassword(account.operator().id(), seen, "not a hash")).isFalse();
        assertThat(login.checkPassword(username, "an entirely different passphrase")).as("the password as it was").isPresent();
        assertThat(login.stillValid(changed)).as("ended by the role's change").isFalse();
    }

    @Test
    void theSecondStepMustFollowSoon() {
        var account = newAccount(Role.OPERATOR);
        var first = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();

        clock.advance(Duration.ofMinutes(5));

        assertThat(login.isPending(first)).isFalse();
        assertThat(login.checkCode(first, currentCode(account))).isEmpty();
    }

    @Test
    void disabledAccountsCannotSignInAndTheirSessionsEnd() {
        var account = newAccount(Role.OPERATOR);
        var signedIn = signIn(account);

        administration.setEnabled(account.operator().id(), false);

        assertThat(login.stillValid(signedIn)).isFalse();
        assertThat(login.checkPassword(account.operator().username(), PASSWORD)).isEmpty();
        administration.setEnabled(account.operator().id(), true);
        assertThat(login.stillValid(signedIn)).as("a new stamp: the old session stays ended").isFalse();
        clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        assertThat(signIn(account)).isNotNull();
    }

    @Test
    void enrolmentStoresNothingUntilConfirmed() {
        var created = administration.create("enrol-" + suffix(), Role.OPERATOR, PASSWORD);
        var first = login.checkPassword(created.username(), PASSWORD).orElseThrow();
        assertThat(first.enrolled()).isFalse();

        var enrolment = login.startEnrolment(first);
        var enrolTotp = new Totp(clock);
        assertThat(login.completeEnrolment(first, enrolment, wrong(enrolTotp.code(enrolment.secret(),
                enrolTotp.currentStep())))).isEmpty();
        assertThat(jdbc.sql("select totp_secret from operator_account where id = :id")
                .param("id", created.id().value()).query(byte[].class).optional()).isEmpty();

        var signedIn = login.completeEnrolment(first, enrolment,
                enrolTotp.code(enrolment.secret(), enrolTotp.currentStep()));

        assertThat(signedIn).isPresent();
        assertThat(((Operator) signedIn.get().getPrincipal()).enrolled()).isTrue();
        var stored = jdbc.sql("select totp_secret from operator_account where id = :id")
                .param("id", created.id().value()).query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(enrolment.secret());
        var again = login.checkPassword(created.username(), PASSWORD).orElseThrow();
        assertThat(again.enrolled()).isTrue();
        assertThat(login.checkCode(again, enrolment.recoveryCodes().getFirst())).isPresent();
    }

    @Test
    void recordsSignInsWithoutPasswordsOrCodes() {
        var account = newAccount(Role.OPERATOR);
        var code = currentCode(account);
        var id = account.operator().id();
        login.checkPassword(account.operator().username(), "not the password");
        var first = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();
        login.checkCode(first, code);

        var entries = access.latest(3);

        assertThat(entries).extracting(AccessRecord.Entry::actor).containsOnly(id.value());
        assertThat(entries).extracting(AccessRecord.Entry::action, AccessRecord.Entry::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sign-in.code", Outcome.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("sign-in.password", Outcome.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("sign-in.password", Outcome.FAILED));
        assertThat(jdbc.sql("select count(*) from access_log where subject_id in (:secrets) or action in (:secrets)")
                .param("secrets", java.util.List.of(PASSWORD, "not the password", code)).query(Long.class).single())
                .as("no password or code in the record").isZero();
    }

    private NewOperator newAccount(Role role) {
        return administration.createEnrolled(role.name().toLowerCase() + "-" + suffix(), role, PASSWORD);
    }

    private Authentication signIn(NewOperator account) {
        var first = login.checkPassword(account.operator().username(), PASSWORD).orElseThrow();
        return login.checkCode(first, currentCode(account)).orElseThrow();
    }

    private String currentCode(NewOperator account) {
        var totp = new Totp(clock);
        return totp.code(account.enrolment().secret(), totp.currentStep());
    }

    private static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
