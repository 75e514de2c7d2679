package org.lifeline.operators;

import static org.lifeline.privacy.AccessRecord.Outcome.FAILED;
import static org.lifeline.privacy.AccessRecord.Outcome.REFUSED;
import static org.lifeline.privacy.AccessRecord.Outcome.SUCCEEDED;

import java.time.Clock;
import java.util.Optional;

import org.lifeline.operators.OperatorAccounts.Account;
import org.lifeline.privacy.AccessRecord;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;

/**
 * Signing in, in two steps: the password, then a TOTP code (or a recovery code), or, for an account without a
 * second factor yet, its enrolment. Only the second step returns an {@link Authentication}.
 * <p>
 * Every refusal looks the same from outside: an unknown name, a wrong password, a disabled account all answer "no"
 * after the same password hashing work.
 * <p>
 * No outsider can keep an operator out. A wrong password never locks an account (anyone who knows a name could
 * otherwise lock it for ever); password guessing is slowed for everyone alike instead: only so many checks run at
 * once ({@link Passwords}), and beyond a budget of failures a minute on this node ({@link RecentFailures}) sign-ins
 * are answered "busy", except from a browser that has signed in to that account before ({@link KnownDevices}).
 * Failed second steps (code, recovery code, enrolment), which only someone who knows the password can make, lock
 * the account for increasing time ({@link LockoutPolicy}); while locked, the second step is refused. Each is counted
 * before it is checked, so codes sent at once get no more checks than codes sent one by one. Only a complete sign-in
 * clears the count, so knowing the password does not buy more guesses at the code.
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
    private final KnownDevices devices;
    private final RecentFailures failures;

    OperatorLogin(OperatorAccounts accounts, Passwords passwords, TotpSecretCipher cipher, AccessRecord access,
            OperatorsSettings settings, Clock clock, KnownDevices devices) {
        this.devices = devices;
        this.failures = new RecentFailures(clock, settings.passwordFailuresPerMinute());
        this.accounts = accounts;
        this.passwords = passwords;
        this.cipher = cipher;
        this.access = access;
        this.settings = settings;
        this.lockout = LockoutPolicy.of(settings);
        this.clock = clock;
        this.totp = new Totp(clock);
    }

    /** The first step, from a browser not known to the account. */
    public Optional<PasswordAccepted> checkPassword(String username, String password) {
        return checkPassword(username, password, null);
    }

    /**
     * The first step. Empty for every kind of refusal alike.
     *
     * @param device the browser's token from an earlier complete sign-in ({@link #deviceToken}), or null
     * @throws SignInBusy when too many sign-ins are checked or failing right now (never for a known browser's
     *         failures budget)
     */
    public Optional<PasswordAccepted> checkPassword(String username, String password, String device) {
        var now = clock.instant();
        var found = accounts.findByUsername(PasswordPolicy.normalizeUsername(username));
        var known = found.isPresent() && devices.knows(found.get(), device, now);
        if (!known && failures.exhausted()) {
            throw new SignInBusy();
        }
        if (found.isEmpty()) {
            passwords.spendTimeOn(password);
            failures.add();
            // the typed name is not recorded: people type their password into it
            access.record(null, "sign-in.password", null, FAILED);
            return Optional.empty();
        }
        var account = found.get();
        var right = known ? passwords.matchesOnKnownDevice(account.id(), password, account.passwordHash())
                : passwords.matches(password, account.passwordHash());
        if (!account.enabled()) {
            access.record(account.id().value(), "sign-in.password", null, REFUSED);
            return Optional.empty();
        }
        if (!right) {
            // counted for the node's budget, or a known browser's against its token alone (a few, and it is known
            // no more), never against the account: a wrong password locks nobody out
            if (known) {
                devices.failed(device);
            } else {
                failures.add();
            }
            access.record(account.id().value(), "sign-in.password", null, FAILED);
            return Optional.empty();
        }
        access.record(account.id().value(), "sign-in.password", null, SUCCEEDED);
        return Optional.of(new PasswordAccepted(account.id(), account.totpSecret() != null, now,
                account.securityStamp()));
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
        if (!attempt(id, "sign-in.code")) {
            return Optional.empty();
        }
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
        access.record(id.value(), "sign-in.code", null, FAILED);
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
        if (!attempt(id, "sign-in.enrolment")) {
            return Optional.empty();
        }
        var step = totp.acceptedStep(enrolment.secret(), code == null ? "" : code.strip(), -1);
        if (step.isEmpty()) {
            access.record(id.value(), "sign-in.enrolment", null, FAILED);
            return Optional.empty();
        }
        var hashes = enrolment.recoveryCodes().stream().map(RecoveryCodes::hash).toList();
        if (!accounts.enrol(id, cipher.encrypt(id, enrolment.secret()), step.getAsLong(), hashes)) {
            access.record(id.value(), "sign-in.enrolment", null, REFUSED);
            return Optional.empty();
        }
        return Optional.of(signIn(account.get(), "sign-in.enrolment"));
    }

    /** Where a session's sign-in stands. */
    public enum Standing {
        /** The account exists, is enabled, and nothing about its access has changed since. */
        VALID,
        /** As valid, but its password is one an admin chose: the operator changes it before anything else. */
        MUST_CHANGE_PASSWORD,
        /** The account is gone or disabled, or its access changed (role, second factor, password): signed out. */
        ENDED
    }

    /** Checked on every console request, so a disabled operator is out at once on every node. */
    public Standing standing(Authentication authentication) {
        if (!(authentication instanceof OperatorAuthentication signedIn)) {
            return Standing.ENDED;
        }
        return accounts.find(signedIn.getPrincipal().id())
                .filter(Account::enabled)
                .filter(account -> account.securityStamp() == signedIn.securityStamp())
                .map(account -> account.mustChangePassword() ? Standing.MUST_CHANGE_PASSWORD : Standing.VALID)
                .orElse(Standing.ENDED);
    }

    /** Whether a session's sign-in still stands ({@link #standing}: not ended). */
    public boolean stillValid(Authentication authentication) {
        return standing(authentication) != Standing.ENDED;
    }

    /**
     * A signed-in operator chooses a new password, giving his current one: a session left open, or taken, cannot
     * change it alone. Every other session of the account ends, on every node.
     *
     * Wrong current passwords count as failed second steps do: a few are free, then the account is locked for
     * increasing time ({@link LockoutPolicy}), on every node; a right one clears the count. Nothing here spends the
     * node's budget of failed sign-ins, which outsiders can fill.
     *
     * @return the sign-in that goes on in this session
     * @throws InvalidAccountChange when the new password breaks the rules, the account is locked
     *         ({@code password-locked}), the current password is wrong ({@code password-wrong}), the new one is the
     *         current one ({@code password-unchanged}), or the account's access changed meanwhile
     *         ({@code operator-unknown}: this session ends)
     * @throws SignInBusy when too many passwords are being checked at once
     */
    public Authentication changeOwnPassword(Authentication current, String currentPassword, String newPassword) {
        if (!(current instanceof OperatorAuthentication signedIn)) {
            throw new InvalidAccountChange("operator-unknown", "There is no such operator.");
        }
        var account = accounts.find(signedIn.getPrincipal().id())
                .filter(Account::enabled)
                .filter(found -> found.securityStamp() == signedIn.securityStamp())
                .orElseThrow(() -> new InvalidAccountChange("operator-unknown", "There is no such operator."));
        var id = account.id();
        PasswordPolicy.checkPassword(account.username(), newPassword);
        if (!accounts.beginAttempt(id, lockout, clock.instant())) {
            access.record(id.value(), "account.password", null, REFUSED);
            throw new InvalidAccountChange("password-locked", "Too many wrong passwords: the account is locked for a while.");
        }
        if (currentPassword == null || !passwords.matches(currentPassword, account.passwordHash())) {
            access.record(id.value(), "account.password", null, FAILED);
            throw new InvalidAccountChange("password-wrong", "That is not the account's current password.");
        }
        accounts.clearFailures(id);
        // the current one with a letter added, or cut short, is as good as known to whoever knew it (the admin)
        if (newPassword.contains(currentPassword) || currentPassword.contains(newPassword)) {
            throw new InvalidAccountChange("password-unchanged", "The new password must differ from the current one.");
        }
        // only from the access this session has: an admin's change meanwhile (role, second factor) is not undone
        if (!accounts.changePassword(id, signedIn.securityStamp(), passwords.hash(newPassword))) {
            throw new InvalidAccountChange("operator-unknown", "There is no such operator.");
        }
        access.record(id.value(), "account.password", null, SUCCEEDED);
        // the row as read, but for its password and stamp: any other change of access would have moved the stamp
        return new OperatorAuthentication(account.operator(), signedIn.securityStamp() + 1);
    }

    /** A token that makes this browser known to the account at its next sign-ins (a cookie of the sign-in page). */
    public Optional<String> deviceToken(Authentication signedIn) {
        if (!(signedIn instanceof OperatorAuthentication operator)) {
            return Optional.empty();
        }
        return accounts.find(operator.getPrincipal().id()).map(account -> devices.issue(account, clock.instant()));
    }

    /** How long a browser stays known to the account after a sign-in there. */
    public java.time.Duration deviceTtl() {
        return settings.deviceTtl();
    }

    public void signedOut(Authentication authentication) {
        if (authentication instanceof OperatorAuthentication signedIn) {
            access.record(signedIn.getPrincipal().id().value(), "sign-out", null, SUCCEEDED);
        }
    }

    /** The account behind a first step, if its second step may go ahead now. */
    private Optional<Account> stillAdmissible(PasswordAccepted first, String action) {
        var account = accounts.find(first.operator());
        // a password step passed before the password changed (or the role, or the second factor) leads nowhere
        if (account.isEmpty() || !isPending(first) || account.get().securityStamp() != first.securityStamp()) {
            return Optional.empty();
        }
        if (account.get().lockedAt(clock.instant()) || !account.get().enabled()) {
            access.record(account.get().id().value(), action, null, REFUSED);
            return Optional.empty();
        }
        return account;
    }

    /**
     * Counts a second step as failed before it is checked (a success clears the count); false, and recorded as
     * refused, when the account was locked meanwhile, by another second step sent at the same time.
     */
    private boolean attempt(OperatorId id, String action) {
        if (accounts.beginAttempt(id, lockout, clock.instant())) {
            return true;
        }
        access.record(id.value(), action, null, REFUSED);
        return false;
    }

    private Authentication signIn(Account account, String action) {
        accounts.clearFailures(account.id());
        access.record(account.id().value(), action, null, SUCCEEDED);
        // read again: an enrolment has just changed the row
        var current = accounts.find(account.id()).orElseThrow();
        return new OperatorAuthentication(current.operator(), current.securityStamp());
    }
}
