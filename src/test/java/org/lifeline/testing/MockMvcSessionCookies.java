package org.lifeline.testing;

import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Lets MockMvc tests keep using a {@link MockHttpSession} as "this browser" now that console sessions live in the
 * database behind a cookie: the cookies responses set (the session's, the form token's, the page to return to) are
 * kept in the mock session passed with the request, and sent with every later request that passes the same mock
 * session, as a browser would. When the server expires the session cookie, the mock session is invalidated, as
 * signing out did to the container's session.
 */
@Configuration(proxyBeanMethods = false)
public class MockMvcSessionCookies {

    public static final String COOKIE = "lifeline_console";
    private static final String KEPT = MockMvcSessionCookies.class.getName() + ".cookies";

    /** The session id this mock session's browser holds, if the server set one. */
    public static String sessionId(MockHttpSession jar) {
        return cookies(jar).get(COOKIE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> cookies(MockHttpSession jar) {
        var kept = (Map<String, String>) jar.getAttribute(KEPT);
        if (kept == null) {
            kept = new LinkedHashMap<>();
            jar.setAttribute(KEPT, kept);
        }
        return kept;
    }

    @Bean
    MockMvcBuilderCustomizer sessionCookieJar() {
        return builder -> builder
                .defaultRequest(MockMvcRequestBuilders.get("/").with(request -> {
                    if (request.getSession(false) instanceof MockHttpSession jar && !jar.isInvalid()) {
                        var cookies = new ArrayList<Cookie>();
                        if (request.getCookies() != null) {
                            cookies.addAll(Arrays.asList(request.getCookies()));
                        }
                        cookies(jar).forEach((name, value) -> {
                            if (cookies.stream().noneMatch(cookie -> cookie.getName().equals(name))) {
                                cookies.add(new Cookie(name, value));
                            }
                        });
                        if (!cookies.isEmpty()) {
                            request.setCookies(cookies.toArray(Cookie[]::new));
                        }
                    }
                    return request;
                }))
                .alwaysDo(result -> {
                    if (!(result.getRequest().getSession(false) instanceof MockHttpSession jar) || jar.isInvalid()) {
                        return;
                    }
                    var kept = cookies(jar);
                    for (var set : result.getResponse().getCookies()) {
                        if (set.getMaxAge() == 0) {
                            kept.remove(set.getName());
                        } else {
                            kept.put(set.getName(), set.getValue());
                        }
                    }
                    var session = result.getResponse().getCookie(COOKIE);
                    if (session != null && session.getMaxAge() == 0) {
                        jar.invalidate();
                    }
                });
    }
}
