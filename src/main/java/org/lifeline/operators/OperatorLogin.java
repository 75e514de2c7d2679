package org.lifeline.operators;

import static org.lifeline.operators.AccessRecord.Outcome.FAILED;
import static org.lifeline.operators.AccessRecord.Outcome.REFUSED;
import static org.lifeline.operators.AccessRecord.Outcome.SUCCEEDED;

import java.time.Clock;
import java.util.Optional;

import org.lifeline.operators.OperatorAccounts.Account;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;

/**
 * Signing in, in two steps: the password, then a TOTP code (or a recovery code), or, for an account without a
 * second factor yet, its enrolment. Only the second step returns an {@link Authentication}.
 * <p>
 * Every refusal looks the same from outside: an unknown name, a wrong password, a disabled or locked account all
 * answer "no" after the same password hashing work. Failed steps in a row (password or code) lock the account for
 * increasing time ({@link LockoutPolicy}); while locked, even the right password is refused and counts nothing.
 * Only a complete sign-in clears the count, so knowing the password does not buy more guesses at the code.
 */
@Service
public class OperatorLogin {

    private final OperatorAccounts accounts;
    private final Passwords passwords;
    private final TotpSecretCipher cipher;
    private final AccessRecord access;
    private final OperatorsSettings settings;
    private final LockoutPolicy lockout;
    private final Clock clock;
    private final Totp totp;

    OperatorLogin(OperatorAccounts accounts, Passwords passwords, TotpSecretCipher cipher, AccessRecord access,
            OperatorsSettings settings, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.cipher = cipher;
        this.access = access;
        this.settings = settings;
        this.lockout = LockoutPolicy.of(settings);
        this.clock = clock;
        this.totp = new Totp(clock);
    }

    /** The first step. Empty for every kind of refusal alike. */
    public Optional<PasswordAccepted> checkPassword(String username, String password) {
        var now = clock.instant();
        var found = accounts.findByUsername(PasswordPolicy.normalizeUsername(username));
        if (found.isEmpty()) {
            passwords.spendTimeOn(password);
            // the typed name is not recorded: people type their password into it
            access.record(null, "sign-in.password", null, FAILED);
            return Optional.empty();
        }
        var account = found.get();
        var right = passwords.matches(password, account.passwordHash());
        if (account.lockedAt(now) || !account.enabled()) {
            access.record(account.id(), "sign-in.password", null, REFUSED);
            return Optional.empty();
        }
        if (!right) {
            fail(account, "sign-in.password");
            return Optional.empty();
        }
        access.record(account.id(), "sign-in.password", null, SUCCEEDED);
        return Optional.of(new PasswordAccepted(account.id(), account.totpSecret() != null, now));
    }

    /** Whether the second step may still follow the first ({@code lifeline.operators.sign-in-timeout}). */
    public boolean isPending(PasswordAccepted first) {
        return clock.instant().isBefore(first.at().plus(settings.signInTimeout()));
    }

    /** The second step for an enrolled account: a TOTP code, or one of its recovery codes. */
    public Optional<Authentication> checkCode(PasswordAccepted first, String code) {
        var account = stillAdmissible(first, "sign-in.code");
        if (account.isEmpty() || account.get().totpSecret() == null) {
            return Optional.empty();
        }
        var id = account.get().id();
        var input = code == null ? "" : code.strip();
        if (Totp.looksLikeCode(input)) {
            var secret = cipher.decrypt(id, account.get().totpSecret());
            var step = totp.acceptedStep(secret, input, account.get().totpLastStep());
            if (step.isPresent() && accounts.useStep(id, step.getAsLong())) {
                return Optional.of(signIn(account.get(), "sign-in.code"));
            }
        } else if (RecoveryCodes.looksLikeCode(input)
                && accounts.useRecoveryCode(id, RecoveryCodes.hash(input), clock.instant())) {
            return Optional.of(signIn(account.get(), "sign-in.recovery-code"));
        }
        fail(account.get(), "sign-in.code");
        return Optional.empty();
    }

    /** A new secret and recovery codes for an account without a second factor; nothing is stored yet. */
    public Enrolment startEnrolment(PasswordAccepted first) {
        if (first.enrolled()) {
            throw new IllegalStateException("This account has its second factor already");
        }
        var account = accounts.find(first.operator()).orElseThrow();
        var secret = Totp.newSecret();
        return new Enrolment(account.id(), secret, Totp.uri(settings.issuer(), account.username(), secret),
                RecoveryCodes.generate());
    }

    /** The second step for an account enrolling: a code from the new authenticator confirms and stores it. */
    public Optional<Authentication> completeEnrolment(PasswordAccepted first, Enrolment enrolment, String code) {
        var account = stillAdmissible(first, "sign-in.enrolment");
        if (account.isEmpty() || !enrolment.operator().equals(first.operator())) {
            return Optional.empty();
        }
        var id = account.get().id();
        var step = totp.acceptedStep(enrolment.secret(), code == null ? "" : code.strip(), -1);
        if (step.isEmpty()) {
            fail(account.get(), "sign-in.enrolment");
            return Optional.empty();
        }
        var hashes = enrolment.recoveryCodes().stream().map(RecoveryCodes::hash).toList();
        if (!accounts.enrol(id, cipher.encrypt(id, enrolment.secret()), step.getAsLong(), hashes)) {
            access.record(id, "sign-in.enrolment", null, REFUSED);
            return Optional.empty();
        }
        return Optional.of(signIn(account.get(), "sign-in.enrolment"));
    }

    /**
     * Whether a session's sign-in still stands: the account exists, is enabled, and nothing about its access has
     * changed since (checked on every console request, so a disabled operator is out at once on every node).
     */
    public boolean stillValid(Authentication authentication) {
        return authentication instanceof OperatorAuthentication signedIn
                && accounts.find(signedIn.getPrincipal().id())
                .filter(Account::enabled)
                .filter(account -> account.securityStamp() == signedIn.securityStamp())
                .isPresent();
    }

    public void signedOut(Authentication authentication) {
        if (authentication instanceof OperatorAuthentication signedIn) {
            access.record(signedIn.getPrincipal().id(), "sign-out", null, SUCCEEDED);
        }
    }

    /** The account behind a first step, if its second step may go ahead now. */
    private Optional<Account> stillAdmissible(PasswordAccepted first, String action) {
        var account = accounts.find(first.operator());
        if (account.isEmpty() || !isPending(first)) {
            return Optional.empty();
        }
        if (account.get().lockedAt(clock.instant()) || !account.get().enabled()) {
            access.record(account.get().id(), action, null, REFUSED);
            return Optional.empty();
        }
        return account;
    }

    private void fail(Account account, String action) {
        accounts.countFailure(account.id(), lockout, clock.instant());
        access.record(account.id(), action, null, FAILED);
    }

    private Authentication signIn(Account account, String action) {
        accounts.clearFailures(account.id());
        access.record(account.id(), action, null, SUCCEEDED);
        // read again: an enrolment has just changed the row
        var current = accounts.find(account.id()).orElseThrow();
        return new OperatorAuthentication(current.operator(), current.securityStamp());
    }
}
