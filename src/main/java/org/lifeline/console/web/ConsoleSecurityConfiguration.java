package org.lifeline.console.web;

import static org.lifeline.operators.Permission.ASSIGN_CASES;
import static org.lifeline.operators.Permission.CHANGE_CASE_STATUS;
import static org.lifeline.operators.Permission.MANAGE_KEYS;
import static org.lifeline.operators.Permission.MANAGE_USERS;
import static org.lifeline.operators.Permission.PLAN_HANDOVER;
import static org.lifeline.operators.Permission.READ_CASE;
import static org.lifeline.operators.Permission.READ_QUEUE;
import static org.lifeline.operators.Permission.REPLY;

import org.lifeline.operators.OperatorLogin;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
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

    /**
     * Only first-party styles, images and the one script (live queue updates over a same-origin event stream), no
     * inline script or style, no framing, forms post only here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'";

    @Bean
    SecurityContextRepository consoleSecurityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    /** Only for the web server; commands run without one, and without web security. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain consoleSecurity(HttpSecurity http, SecurityContextRepository contexts, OperatorLogin login) {
        var denied = new AccessDeniedHandlerImpl();
        denied.setErrorPage(ConsolePages.DENIED);
        http.securityMatcher("/console/**", "/actuator/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(SIGN_IN, SIGN_IN + "/**", SetupController.PATH, ConsolePages.DENIED,
                                "/console/assets/**").permitAll()
                        .requestMatchers(UsersController.PATH, UsersController.PATH + "/**")
                        .hasAuthority(MANAGE_USERS.name())
                        .requestMatchers(HttpMethod.GET, ConsolePages.EVENTS).hasAuthority(READ_QUEUE.name())
                        .requestMatchers(HttpMethod.GET, CaseController.CASES + "/*", CaseController.CONVERSATIONS + "/*")
                        .hasAuthority(READ_CASE.name())
                        .requestMatchers(HttpMethod.POST, CaseController.CONVERSATIONS + "/*/replies")
                        .hasAuthority(REPLY.name())
                        .requestMatchers(HttpMethod.POST, CaseController.CASES + "/*/status",
                                CaseController.CASES + "/*/provocation").hasAuthority(CHANGE_CASE_STATUS.name())
                        .requestMatchers(HttpMethod.POST, CaseController.CASES + "/*/assignee")
                        .hasAuthority(ASSIGN_CASES.name())
                        .requestMatchers(HandoverController.PATH, HandoverController.PATH + "/**")
                        .hasAuthority(PLAN_HANDOVER.name())
                        .requestMatchers("/console/**").authenticated()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().hasAuthority(MANAGE_KEYS.name()))
                .securityContext(context -> context.securityContextRepository(contexts))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(SIGN_IN))
                        .accessDeniedHandler(denied))
                .logout(logout -> logout
                        .logoutUrl("/console/logout")
                        .addLogoutHandler((request, response, authentication) -> login.signedOut(authentication))
                        .logoutSuccessUrl(SIGN_IN + "?signed-out"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .addFilterBefore(new SessionValidityFilter(login), AnonymousAuthenticationFilter.class);
        return http.build();
    }
}
