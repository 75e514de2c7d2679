package org.lifeline.testing;

import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.Arrays;

import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Lets MockMvc tests keep using a {@link MockHttpSession} as "this browser's session" now that console sessions
 * live in the database behind a cookie: the session cookie a response sets is kept in the mock session passed with
 * the request, and sent with every later request that passes the same mock session. A cookie the server expires
 * invalidates the mock session, as signing out did to the container's session.
 */
@Configuration(proxyBeanMethods = false)
public class MockMvcSessionCookies {

    public static final String COOKIE = "lifeline_console";
    private static final String KEPT = MockMvcSessionCookies.class.getName() + ".cookie";

    /** The session id this mock session's browser holds, if the server set one. */
    public static String sessionId(MockHttpSession jar) {
        return (String) jar.getAttribute(KEPT);
    }

    @Bean
    MockMvcBuilderCustomizer sessionCookieJar() {
        return builder -> builder
                .defaultRequest(MockMvcRequestBuilders.get("/").with(request -> {
                    if (request.getSession(false) instanceof MockHttpSession jar
                            && jar.getAttribute(KEPT) instanceof String id) {
                        var cookies = new ArrayList<Cookie>();
                        if (request.getCookies() != null) {
                            cookies.addAll(Arrays.asList(request.getCookies()));
                        }
                        if (cookies.stream().noneMatch(cookie -> cookie.getName().equals(COOKIE))) {
                            cookies.add(new Cookie(COOKIE, id));
                        }
                        request.setCookies(cookies.toArray(Cookie[]::new));
                    }
                    return request;
                }))
                .alwaysDo(result -> {
                    var set = result.getResponse().getCookie(COOKIE);
                    if (set != null && result.getRequest().getSession(false) instanceof MockHttpSession jar
                            && !jar.isInvalid()) {
                        if (set.getMaxAge() == 0) {
                            jar.invalidate();
                        } else {
                            jar.setAttribute(KEPT, set.getValue());
                        }
                    }
                });
    }
}
