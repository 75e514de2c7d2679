package org.lifeline.console.web;

import static org.lifeline.operators.Permission.ASSIGN_CASES;
import static org.lifeline.operators.Permission.CHANGE_CASE_STATUS;
import static org.lifeline.operators.Permission.ERASE_CONTACTS;
import static org.lifeline.operators.Permission.MANAGE_CAMPAIGNS;
import static org.lifeline.operators.Permission.MANAGE_KEYS;
import static org.lifeline.operators.Permission.MANAGE_USERS;
import static org.lifeline.operators.Permission.PLAN_HANDOVER;
import static org.lifeline.operators.Permission.READ_ACCESS_RECORD;
import static org.lifeline.operators.Permission.READ_CASE;
import static org.lifeline.operators.Permission.READ_QUEUE;
import static org.lifeline.operators.Permission.REPLY;
import static org.lifeline.operators.Permission.SEE_REPORTS;

import org.lifeline.operators.OperatorLogin;
import org.lifeline.privacy.AccessRecord;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Spring Security guards the console and the management endpoints only. Everything else (the public site, web chat,
 * webhooks, {@code /.well-known}) is outside this chain: no session, no CSRF token, no login redirect there.
 * <p>
 * Who may open which console page is decided here, by URL, in one table; the pages themselves do not repeat it.
 * Signing in is done by {@link SignInController} in two steps; this chain only keeps the result in the session.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    static final String SIGN_IN = "/console/login";

    @Bean
    SecurityContextRepository consoleSecurityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    /**
     * The page a signed-out visitor asked for, to return to once signed in: kept in a cookie (the path only, on this
     * host), so that asking starts no session. Only pages: not the live updates' stream nor a script's request.
     */
    @Bean
    RequestCache consoleRequestCache() {
        var cache = new CookieRequestCache();
        cache.setRequestMatcher(request -> "GET".equals(request.getMethod())
                && !request.getRequestURI().equals(ConsolePages.EVENTS)
                && !"XMLHttpRequest".equals(request.getHeader("X-Requested-With")));
        cache.setCookieCustomizer(cookie -> {
            cookie.setPath("/console");
            cookie.setAttribute("SameSite", "Strict");
        });
        return cache;
    }

    /**
     * GET, and HEAD, of these paths: a HEAD is answered by the GET's handler (without the body), so a rule for GET
     * alone would let HEAD past it, with what it does: the read recorded, the file's type and size in the headers,
     * whether an id exists.
     */
    private static RequestMatcher[] reads(String... paths) {
        var matchers = PathPatternRequestMatcher.withDefaults();
        return java.util.Arrays.stream(paths)
                .flatMap(path -> java.util.stream.Stream.of(matchers.matcher(HttpMethod.GET, path),
                        matchers.matcher(HttpMethod.HEAD, path)))
                .toArray(RequestMatcher[]::new);
    }

    /** Only for the web server; commands run without one, and without web security. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain consoleSecurity(HttpSecurity http, SecurityContextRepository contexts, RequestCache asked,
            OperatorLogin login, AccessRecord access) {
        var page = new AccessDeniedHandlerImpl();
        page.setErrorPage(ConsolePages.DENIED);
        // refusals of the set-aside updates' pages are recorded, as the pages' own refusals are
        AccessDeniedHandler denied = (request, response, refused) -> {
            SetAsideController.refusedAction(request.getRequestURI().substring(request.getContextPath().length()))
                    .ifPresent(r -> access.record(r.action(), r.subject(), AccessRecord.Outcome.REFUSED));
            page.handle(request, response, refused);
        };
        http.securityMatcher("/console/**", "/actuator/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(SIGN_IN, SIGN_IN + "/**", SetupController.PATH, ConsolePages.DENIED,
                                "/console/assets/**").permitAll()
                        .requestMatchers(UsersController.PATH, UsersController.PATH + "/**")
                        .hasAuthority(MANAGE_USERS.name())
                        .requestMatchers(CampaignsController.PATH, CampaignsController.PATH + "/**")
                        .hasAuthority(MANAGE_CAMPAIGNS.name())
                        .requestMatchers(reads(ConsolePages.EVENTS)).hasAuthority(READ_QUEUE.name())
                        .requestMatchers(reads(CaseController.CASES + "/*", CaseController.CONVERSATIONS + "/*"))
                        .hasAuthority(READ_CASE.name())
                        .requestMatchers(reads(AttachmentController.PATH + "/*")).hasAuthority(READ_CASE.name())
                        .requestMatchers(HttpMethod.POST, CaseController.CONVERSATIONS + "/*/replies")
                        .hasAuthority(REPLY.name())
                        .requestMatchers(HttpMethod.POST, CaseController.CASES + "/*/status",
                                CaseController.CASES + "/*/provocation").hasAuthority(CHANGE_CASE_STATUS.name())
                        .requestMatchers(HttpMethod.POST, CaseController.CASES + "/*/assignee")
                        .hasAuthority(ASSIGN_CASES.name())
                        .requestMatchers(HttpMethod.POST, ProviderCopiesController.PATH).hasAuthority(MANAGE_KEYS.name())
                        .requestMatchers(SetAsideController.PATH, SetAsideController.PATH + "/**")
                        .hasAuthority(MANAGE_KEYS.name())
                        .requestMatchers(DutyController.PATH).hasAuthority(READ_CASE.name())
                        .requestMatchers(HandoverController.PATH, HandoverController.PATH + "/**")
                        .hasAuthority(PLAN_HANDOVER.name())
                        .requestMatchers(reads(AccessRecordController.PATH))
                        .hasAuthority(READ_ACCESS_RECORD.name())
                        .requestMatchers(reads(ReportsController.PATH, ReportsController.CSV))
                        .hasAuthority(SEE_REPORTS.name())
                        .requestMatchers(HttpMethod.POST, CaseController.CONVERSATIONS + "/*/erase")
                        .hasAuthority(ERASE_CONTACTS.name())
                        .requestMatchers("/console/**").authenticated()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().hasAuthority(MANAGE_KEYS.name()))
                .securityContext(context -> context.securityContextRepository(contexts))
                // nothing of a visitor is kept in a session before his password was accepted: see ConsoleFormTokens
                .csrf(csrf -> csrf.csrfTokenRepository(new ConsoleFormTokens()))
                .requestCache(cache -> cache.requestCache(asked))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(SIGN_IN))
                        .accessDeniedHandler(denied))
                .logout(logout -> logout
                        .logoutUrl("/console/logout")
                        .addLogoutHandler((request, response, authentication) -> login.signedOut(authentication))
                        .logoutSuccessUrl(SIGN_IN + "?signed-out"))
                // the Content-Security-Policy is the site filter's (scripts and audio here: ConsoleWebConfiguration);
                // a requester's file gets the stricter one its controller sets
                .headers(headers -> headers
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        // over HTTPS (to us or a trusted proxy), as on every other page: this host only, since
                        // mirrors on other names of the same domain may not have TLS
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(false).maxAgeInSeconds(31_536_000)))
                .addFilterBefore(new SessionValidityFilter(login), AnonymousAuthenticationFilter.class);
        return http.build();
    }
}
