package org.lifeline.operators;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code operator_account} and {@code operator_recovery_code} tables. */
@Repository
class OperatorAccounts {

    /**
     * An account row, secrets included: never leaves this module.
     *
     * @param totpLastStep the last TOTP step used, -1 for none
     * @param mustChangePassword the password is one an admin chose: its operator changes it before anything else
     */
    record Account(OperatorId id, String username, String passwordHash, Role role, boolean enabled,
            byte[] totpSecret, long totpLastStep, int failedAttempts, Instant lockedUntil, int securityStamp,
            String language, boolean mustChangePassword) {

        Operator operator() {
            return new Operator(id, username, role, enabled, totpSecret != null);
        }

        boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    private final JdbcClient jdbc;

    OperatorAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Account> find(OperatorId id) {
        return jdbc.sql("select * from operator_account where id = :id").param("id", id.value())
                .query(OperatorAccounts::account).optional();
    }

    Optional<Account> findByUsername(String username) {
        return jdbc.sql("select * from operator_account where username = :username").param("username", username)
                .query(OperatorAccounts::account).optional();
    }

    List<Account> all() {
        return jdbc.sql("select * from operator_account order by username").query(OperatorAccounts::account).list();
    }

    boolean anyAdmin() {
        return jdbc.sql("select count(*) from operator_account where role = 'ADMIN'").query(Long.class).single() > 0;
    }

    void insert(OperatorId id, String username, String passwordHash, Role role, byte[] totpSecret,
            boolean mustChangePassword, Instant now) {
        jdbc.sql("""
                        insert into operator_account (id, username, password_hash, role, enabled, totp_secret,
                            must_change_password, created_at)
                        values (:id, :username, :hash, :role, true, :secret, :mustChange, :now)""")
                .param("id", id.value()).param("username", username).param("hash", passwordHash)
                .param("role", role.name()).param("secret", totpSecret).param("mustChange", mustChangePassword)
                .param("now", SqlTimestamps.of(now))
                .update();
    }

    /** Inserts the first admin unless there is an admin already, in one statement; false if there was. */
    boolean insertFirstAdmin(OperatorId id, String username, String passwordHash, Instant now) {
        return jdbc.sql("""
                        insert into operator_account (id, username, password_hash, role, enabled, created_at)
                        select :id, :username, :hash, 'ADMIN', true, :now
                        where not exists (select 1 from operator_account where role = 'ADMIN')""")
                .param("id", id.value()).param("username", username).param("hash", passwordHash)
                .param("now", SqlTimestamps.of(now))
                .update() == 1;
    }

    /**
     * Counts a second step as failed before it is checked, and locks the account for as long as the policy says
     * after so many in a row; false, counting nothing, while the account is locked. Counted first, under the row's
     * lock, so that second steps sent at once cannot all be checked before the first failure is counted: the check
     * that succeeds clears the count ({@link #clearFailures}).
     */
    @Transactional
    boolean beginAttempt(OperatorId id, LockoutPolicy policy, Instant now) {
        var failures = jdbc.sql("""
                        select failed_attempts from operator_account
                        where id = :id and (locked_until is null or locked_until <= :now) for update""")
                .param("id", id.value()).param("now", SqlTimestamps.of(now)).query(Integer.class).optional();
        if (failures.isEmpty()) {
            return false;
        }
        jdbc.sql("update operator_account set failed_attempts = :failures where id = :id")
                .param("failures", failures.get() + 1).param("id", id.value()).update();
        policy.lockedUntil(failures.get() + 1, now).ifPresent(until -> jdbc
                .sql("update operator_account set locked_until = :until where id = :id")
                .param("until", SqlTimestamps.of(until)).param("id", id.value()).update());
        return true;
    }

    void clearFailures(OperatorId id) {
        jdbc.sql("update operator_account set failed_attempts = 0, locked_until = null where id = :id")
                .param("id", id.value()).update();
    }

    /** Marks a TOTP step as used, unless it or a later one already was: a code counts once, on every node. */
    boolean useStep(OperatorId id, long step) {
        return jdbc.sql("""
                        update operator_account set totp_last_step = :step
                        where id = :id and (totp_last_step is null or totp_last_step < :step)""")
                .param("step", step).param("id", id.value()).update() == 1;
    }

    /** Stores a confirmed second factor and its recovery codes, unless the account got one meanwhile (two tabs). */
    @Transactional
    boolean enrol(OperatorId id, byte[] totpSecret, long usedStep, Collection<String> recoveryCodeHashes) {
        var enrolled = jdbc.sql("""
                        update operator_account set totp_secret = :secret, totp_last_step = :step
                        where id = :id and totp_secret is null""")
                .param("secret", totpSecret).param("step", usedStep).param("id", id.value()).update() == 1;
        if (enrolled) {
            replaceRecoveryCodes(id, recoveryCodeHashes);
        }
        return enrolled;
    }

    void replaceRecoveryCodes(OperatorId id, Collection<String> hashes) {
        jdbc.sql("delete from operator_recovery_code where operator_id = :id").param("id", id.value()).update();
        for (var hash : hashes) {
            jdbc.sql("insert into operator_recovery_code (operator_id, code_hash) values (:id, :hash)")
                    .param("id", id.value()).param("hash", hash).update();
        }
    }

    /** Uses up a recovery code; false if it is not one of the account's or was used before. */
    boolean useRecoveryCode(OperatorId id, String hash, Instant now) {
        return jdbc.sql("""
                        update operator_recovery_code set used_at = :now
                        where operator_id = :id and code_hash = :hash and used_at is null""")
                .param("now", SqlTimestamps.of(now)).param("id", id.value()).param("hash", hash).update() == 1;
    }

    // Each change of access also moves the security stamp, which ends the account's sessions on every node.

    void setEnabled(OperatorId id, boolean enabled) {
        jdbc.sql("update operator_account set enabled = :enabled, security_stamp = security_stamp + 1 where id = :id")
                .param("enabled", enabled).param("id", id.value()).update();
    }

    void setRole(OperatorId id, Role role) {
        jdbc.sql("update operator_account set role = :role, security_stamp = security_stamp + 1 where id = :id")
                .param("role", role.name()).param("id", id.value()).update();
    }

    /**
     * A password its operator chose, unless the account's access changed since {@code seenStamp} (then false): every
     * other session of the account ends; the new stamp is {@code seenStamp + 1}.
     */
    boolean changePassword(OperatorId id, int seenStamp, String passwordHash) {
        return jdbc.sql("""
                        update operator_account set password_hash = :hash, must_change_password = false,
                            security_stamp = :stamp
                        where id = :id and security_stamp = :seen""")
                .param("hash", passwordHash).param("stamp", seenStamp + 1).param("id", id.value())
                .param("seen", seenStamp).update() == 1;
    }

    /**
     * A password an admin chose, for one forgotten: every session of the account ends, and it chooses its own before
     * the console shows it anything else. Only while the account has its second factor (else false), checked in the
     * statement: an admin who knew the password and set up the second factor could sign in as the account.
     */
    boolean setPasswordChosenByAdmin(OperatorId id, String passwordHash) {
        return jdbc.sql("""
                        update operator_account set password_hash = :hash, must_change_password = true,
                            security_stamp = security_stamp + 1
                        where id = :id and totp_secret is not null""")
                .param("hash", passwordHash).param("id", id.value()).update() == 1;
    }

    /**
     * Forgets the second factor and its recovery codes: the account enrols again at its next sign-in. Not while it
     * has a password an admin chose and it has not changed (then false), for the same reason.
     */
    boolean resetSecondFactor(OperatorId id) {
        var reset = jdbc.sql("""
                        update operator_account set totp_secret = null, totp_last_step = null,
                            security_stamp = security_stamp + 1
                        where id = :id and must_change_password = false""")
                .param("id", id.value()).update() == 1;
        if (reset) {
            replaceRecoveryCodes(id, List.of());
        }
        return reset;
    }

    private static Account account(ResultSet rs, int row) throws SQLException {
        var lastStep = rs.getLong("totp_last_step");
        var noStepUsed = rs.wasNull();
        return new Account(new OperatorId(rs.getObject("id", UUID.class)), rs.getString("username"),
                rs.getString("password_hash"), Role.valueOf(rs.getString("role")), rs.getBoolean("enabled"),
                rs.getBytes("totp_secret"), noStepUsed ? -1 : lastStep,
                rs.getInt("failed_attempts"), SqlTimestamps.read(rs, "locked_until"),
                rs.getInt("security_stamp"), rs.getString("language"), rs.getBoolean("must_change_password"));
    }

    void setLanguage(OperatorId id, String language) {
        jdbc.sql("update operator_account set language = :language where id = :id")
                .param("language", language).param("id", id.value()).update();
    }
}
