package org.lifeline.operators;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A signed-in operator, made only by {@link OperatorLogin} once both factors were right. Authorities: the role
 * ({@code ROLE_ADMIN}) and each of its permissions by name. The security stamp ties it to the account's state at
 * sign-in, so disabling the account or changing its role ends the session.
 */
final class OperatorAuthentication extends AbstractAuthenticationToken {

    private final Operator operator;
    private final int securityStamp;

    OperatorAuthentication(Operator operator, int securityStamp) {
        super(authorities(operator.role()));
        this.operator = operator;
        this.securityStamp = securityStamp;
        setAuthenticated(true);
    }

    static Optional<Operator> current() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof OperatorAuthentication signedIn
                ? Optional.of(signedIn.operator)
                : Optional.empty();
    }

    private static List<GrantedAuthority> authorities(Role role) {
        var authorities = new ArrayList<GrantedAuthority>();
        authorities.add(new SimpleGrantedAuthority("ROLE_" + role.name()));
        role.permissions().forEach(permission -> authorities.add(new SimpleGrantedAuthority(permission.name())));
        return authorities;
    }

    int securityStamp() {
        return securityStamp;
    }

    @Override
    public Operator getPrincipal() {
        return operator;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return operator.username();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OperatorAuthentication that && super.equals(that) && securityStamp == that.securityStamp;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + securityStamp;
    }
}
