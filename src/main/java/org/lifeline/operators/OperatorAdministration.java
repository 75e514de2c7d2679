package org.lifeline.operators;

import static org.lifeline.privacy.AccessRecord.Outcome.SUCCEEDED;

import java.time.Clock;
import java.util.Optional;

import org.lifeline.privacy.AccessRecord;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creating and changing accounts, for the console's user administration (ADMIN only, checked there), the first-admin
 * setup and the {@code users} command. Every change goes to the access record, by the signed-in operator (none on
 * the command line). Changing an account's access signs it out everywhere.
 */
@Service
public class OperatorAdministration {

    /** An account created with its second factor, whose secret and recovery codes go to the person once. */
    public record NewOperator(Operator operator, Enrolment enrolment) {
    }

    private final OperatorAccounts accounts;
    private final Passwords passwords;
    private final TotpSecretCipher cipher;
    private final AccessRecord access;
    private final OperatorsSettings settings;
    private final Clock clock;
    private final SetupToken setupToken;

    OperatorAdministration(OperatorAccounts accounts, Passwords passwords, TotpSecretCipher cipher,
            AccessRecord access, OperatorsSettings settings, Clock clock, SetupToken setupToken) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.cipher = cipher;
        this.access = access;
        this.settings = settings;
        this.clock = clock;
        this.setupToken = setupToken;
    }

    /** True until there is an admin: then the console offers its first-admin setup, to whoever has the token. */
    public boolean needsFirstAdmin() {
        return !accounts.anyAdmin();
    }

    /**
     * While there is no admin, makes sure a setup token is valid (a new one is printed on the server's console and
     * written to the data directory, never shown to the requester); once there is one, no token remains.
     */
    public void offerFirstAdminSetup() {
        offerFirstAdminSetup(false);
    }

    /** The same, at start: a valid token is printed on the console again. */
    public void announceFirstAdminSetup() {
        offerFirstAdminSetup(true);
    }

    private void offerFirstAdminSetup(boolean announce) {
        if (needsFirstAdmin()) {
            setupToken.ensureIssued(announce);
        } else {
            setupToken.discard();
        }
    }

    /**
     * A new account that sets up its second factor at its first sign-in, and then chooses a password of its own:
     * the admin who chose this one knows it.
     */
    @Transactional
    public Operator create(String username, Role role, String password) {
        var id = OperatorId.random();
        insert(id, username, role, password, null, true);
        access.record("users.create", id.toString(), SUCCEEDED);
        return accounts.find(id).orElseThrow().operator();
    }

    /** A new account with its second factor already set up (the command line hands it over in person). */
    @Transactional
    public NewOperator createEnrolled(String username, Role role, String password) {
        var id = OperatorId.random();
        var name = PasswordPolicy.checkUsername(username);
        var secret = Totp.newSecret();
        var enrolment = new Enrolment(id, secret, Totp.uri(settings.issuer(), name, secret), RecoveryCodes.generate());
        insert(id, name, role, password, cipher.encrypt(id, secret), false);
        accounts.replaceRecoveryCodes(id, enrolment.recoveryCodes().stream().map(RecoveryCodes::hash).toList());
        access.record("users.create", id.toString(), SUCCEEDED);
        return new NewOperator(accounts.find(id).orElseThrow().operator(), enrolment);
    }

    /**
     * The first admin of an empty system, for whoever has the one-time setup token, which it uses up; empty if
     * there is an admin already.
     */
    @Transactional
    public Optional<Operator> createFirstAdmin(String token, String username, String password) {
        if (!setupToken.matches(token)) {
            throw new InvalidAccountChange("setup-token-wrong", "That is not the setup token, or it has expired. The server prints the "
                    + "current one on its console and keeps it in the file setup-token in its data directory.");
        }
        var name = PasswordPolicy.checkUsername(username);
        PasswordPolicy.checkPassword(name, password);
        var id = OperatorId.random();
        try {
            if (!accounts.insertFirstAdmin(id, name, passwords.hash(password), clock.instant())) {
                return Optional.empty();
            }
        } catch (DuplicateKeyException e) {
            throw taken(name);
        }
        access.record(null, "users.create-first-admin", id.toString(), SUCCEEDED);
        setupToken.discard();
        return accounts.find(id).map(OperatorAccounts.Account::operator);
    }

    @Transactional
    public void setEnabled(OperatorId id, boolean enabled) {
        existing(id);
        if (!enabled && isSelf(id)) {
            throw new InvalidAccountChange("disable-self", "You cannot disable your own account.");
        }
        accounts.setEnabled(id, enabled);
        access.record(enabled ? "users.enable" : "users.disable", id.toString(), SUCCEEDED);
    }

    @Transactional
    public void changeRole(OperatorId id, Role role) {
        existing(id);
        if (isSelf(id)) {
            // the last admin could otherwise take away the only way back in
            throw new InvalidAccountChange("role-self", "You cannot change your own role.");
        }
        accounts.setRole(id, role);
        access.record("users.role", id.toString(), SUCCEEDED);
    }

    /**
     * For a lost phone: the account sets up a new second factor at its next sign-in. Not while it has a temporary
     * password from an admin ({@link #setPassword}): one admin never holds both the password and the enrolment.
     */
    @Transactional
    public void resetSecondFactor(OperatorId id) {
        existing(id);
        if (!accounts.resetSecondFactor(id)) {
            throw new InvalidAccountChange("second-factor-while-temporary-password",
                    "The account has a temporary password it has not changed yet: its second factor can be reset once it has.");
        }
        access.record("users.reset-second-factor", id.toString(), SUCCEEDED);
    }

    /**
     * For a forgotten password: the admin chooses one and hands it over; the account's sessions end, it keeps its
     * second factor (so the admin cannot sign in as it), and it must choose its own before anything else. Not for an
     * account whose second factor is not set up (the admin who chose its password could set it up for himself), nor
     * for the admin's own account: his own changes at his account's page, with the current one.
     */
    @Transactional
    public void setPassword(OperatorId id, String password) {
        var account = accounts.find(id)
                .orElseThrow(() -> new InvalidAccountChange("operator-unknown", "There is no such operator."));
        if (isSelf(id)) {
            throw new InvalidAccountChange("password-self", "Change your own password on your account's page.");
        }
        PasswordPolicy.checkPassword(account.username(), password);
        if (!accounts.setPasswordChosenByAdmin(id, passwords.hash(password))) {
            throw new InvalidAccountChange("password-without-second-factor",
                    "The account's second factor is not set up: give the person a new account instead.");
        }
        access.record("users.set-password", id.toString(), SUCCEEDED);
    }

    private void insert(OperatorId id, String username, Role role, String password, byte[] encryptedSecret,
            boolean mustChangePassword) {
        var name = PasswordPolicy.checkUsername(username);
        PasswordPolicy.checkPassword(name, password);
        if (accounts.findByUsername(name).isPresent()) {
            throw taken(name);
        }
        try {
            accounts.insert(id, name, passwords.hash(password), role, encryptedSecret, mustChangePassword,
                    clock.instant());
        } catch (DuplicateKeyException e) {
            throw taken(name);
        }
    }

    private static InvalidAccountChange taken(String username) {
        return new InvalidAccountChange("username-taken", "An operator named " + username + " already exists.", username);
    }

    private void existing(OperatorId id) {
        if (accounts.find(id).isEmpty()) {
            throw new InvalidAccountChange("operator-unknown", "There is no such operator.");
        }
    }

    private static boolean isSelf(OperatorId id) {
        return OperatorAuthentication.current().map(Operator::id).filter(id::equals).isPresent();
    }
}
