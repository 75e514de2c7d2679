package org.lifeline.console.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * Where the console keeps its form token (CSRF): in the session once there is one, and before (the sign-in and
 * first-admin pages) in a cookie of its own. So a visitor starts no session, and writes no row to the database,
 * until his password was accepted: a flood of the sign-in page costs the database nothing.
 * <p>
 * The cookie's token is only as strong as the double-submit pattern (a site that can set cookies for this one
 * could plant a token it knows), which is why it serves only requests without a session: a signed-in operator always
 * has one. A forged first step gets no further: the code step needs the token of the session the first step started,
 * which a forger cannot read.
 */
final class ConsoleFormTokens implements CsrfTokenRepository {

    static final String COOKIE = "lifeline_form";

    private final HttpSessionCsrfTokenRepository session = new HttpSessionCsrfTokenRepository();
    private final CookieCsrfTokenRepository cookie = new CookieCsrfTokenRepository();

    ConsoleFormTokens() {
        cookie.setCookieName(COOKIE);
        cookie.setCookiePath("/console");
        cookie.setHeaderName("X-CSRF-TOKEN");
        cookie.setCookieCustomizer(builder -> builder.httpOnly(true).sameSite("Strict"));
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return session.generateToken(request);
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) != null) {
            session.saveToken(token, request, response);
            if (token == null) {
                cookie.saveToken(null, request, response);
            }
        } else {
            cookie.saveToken(token, request, response);
        }
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        if (request.getSession(false) != null) {
            return session.loadToken(request);
        }
        return cookie.loadToken(request);
    }
}
