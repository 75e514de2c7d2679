package org.lifeline.console.web;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.operators.OperatorLogin;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a session whose account was disabled, changed role, lost its second factor or changed its password since
 * signing in, on whichever node the session lives: the request then goes on as anonymous, to the sign-in page. An
 * account whose password an admin chose is sent to the page that changes it, whatever it asks for, until it has.
 */
final class SessionValidityFilter extends OncePerRequestFilter {

    /** What an account that must change its password may still ask for besides that page. */
    private static final Set<String> WHILE_CHANGING = Set.of("/console/logout", LanguageController.PATH);

    private final OperatorLogin login;

    SessionValidityFilter(OperatorLogin login) {
        this.login = login;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        var standing = authentication == null ? null : login.standing(authentication);
        if (standing == OperatorLogin.Standing.ENDED) {
            SecurityContextHolder.clearContext();
            var session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
        }
        if (standing == OperatorLogin.Standing.MUST_CHANGE_PASSWORD && !allowedWhileChanging(request)) {
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", request.getContextPath() + AccountController.PASSWORD);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean allowedWhileChanging(HttpServletRequest request) {
        var path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(AccountController.PASSWORD) || WHILE_CHANGING.contains(path)
                || path.startsWith("/console/assets/") || path.startsWith("/actuator/health");
    }
}
