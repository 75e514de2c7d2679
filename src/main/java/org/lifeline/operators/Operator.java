package org.lifeline.operators;

import java.io.Serializable;

/**
 * An operator account as other modules see it: never its password, second factor or lockout state.
 *
 * @param enrolled whether the TOTP second factor is set up; an account that is not enrols at its next sign-in
 */
public record Operator(OperatorId id, String username, Role role, boolean enabled, boolean enrolled)
        implements Serializable {

    public boolean can(Permission permission) {
        return role.allows(permission);
    }
}
