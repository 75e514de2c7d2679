package org.lifeline.operators;

import java.util.List;
import java.util.Optional;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/** Who is signed in and what they may do, and the accounts there are (for assigning work). */
@Service
public class OperatorManagement {

    private final OperatorAccounts accounts;

    OperatorManagement(OperatorAccounts accounts) {
        this.accounts = accounts;
    }

    /** The operator signed in on this request's session, if any. */
    public Optional<Operator> current() {
        return OperatorAuthentication.current();
    }

    /** Whether the signed-in operator holds the permission; false when nobody is signed in. */
    public boolean can(Permission permission) {
        return current().filter(operator -> operator.can(permission)).isPresent();
    }

    /** Refuses (HTTP 403 in the console) unless the signed-in operator holds the permission. */
    public void require(Permission permission) {
        if (!can(permission)) {
            throw new AccessDeniedException("Requires " + permission);
        }
    }

    /** The languages the console speaks; new accounts get the first. */
    public static final List<String> CONSOLE_LANGUAGES = List.of("uk", "en");

    /** The language the console speaks to this operator ({@link #CONSOLE_LANGUAGES}). */
    public String language(OperatorId id) {
        return accounts.find(id).map(OperatorAccounts.Account::language).orElse(CONSOLE_LANGUAGES.getFirst());
    }

    /** Changes the console's language for an operator; refuses a language the console does not speak. */
    public void setLanguage(OperatorId id, String language) {
        if (!CONSOLE_LANGUAGES.contains(language)) {
            throw new InvalidAccountChange("language-unknown",
                    "The console speaks " + String.join(", ", CONSOLE_LANGUAGES), String.join(", ", CONSOLE_LANGUAGES));
        }
        accounts.setLanguage(id, language);
    }

    public Optional<Operator> find(OperatorId id) {
        return accounts.find(id).map(OperatorAccounts.Account::operator);
    }

    /** Every account, by username. */
    public List<Operator> list() {
        return accounts.all().stream().map(OperatorAccounts.Account::operator).toList();
    }

    /** The enabled accounts holding a permission, by username: whom work needing it can go to. */
    public List<Operator> holding(Permission permission) {
        return list().stream().filter(Operator::enabled).filter(operator -> operator.can(permission)).toList();
    }
}
