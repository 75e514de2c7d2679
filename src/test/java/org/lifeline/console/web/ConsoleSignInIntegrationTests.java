package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.Cookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lifeline.operators.Role;
import org.lifeline.site.ContentSecurityPolicy;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.MockMvcSessionCookies;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

@ConsoleTest
class ConsoleSignInIntegrationTests extends ConsoleFixture {

    private static final String FAILED = "Sign-in failed";
    private static final String CODE_REFUSED = "That code was not accepted";

    @LocalServerPort
    int port;

    @Test
    void anonymousVisitorsAreSentToSignIn() throws Exception {
        mvc.perform(get("/console")).andExpect(status().isFound())
                .andExpect(redirectedUrl("/console/login"));
    }

    @Test
    void aRightPasswordAloneDoesNotSignIn() throws Exception {
        var session = accounts.afterPassword(accounts.create(Role.OPERATOR));

        mvc.perform(get("/console").session(session)).andExpect(redirectedUrl("/console/login"));
        mvc.perform(get("/console/login/code").session(session)).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Enter your code")));
    }

    @Test
    void aWrongCodeIsRefusedAndLeavesTheSessionSignedOut() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        var session = accounts.afterPassword(account);

        mvc.perform(post("/console/login/code").session(session).with(csrf())
                        .param("code", ConsoleAccounts.wrong(accounts.nextCode(account.secret()))))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString(CODE_REFUSED)));

        mvc.perform(get("/console").session(session)).andExpect(redirectedUrl("/console/login"));
    }

    @Test
    void aCodeUsedOnceIsRefusedTheSecondTime() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        var session = accounts.afterPassword(account);
        var code = accounts.nextCode(account.secret());
        mvc.perform(post("/console/login/code").session(session).with(csrf()).param("code", code))
                .andExpect(redirectedUrl("/console"));

        var again = accounts.afterPassword(account);
        mvc.perform(post("/console/login/code").session(again).with(csrf()).param("code", code))
                .andExpect(content().string(org.hamcrest.Matchers.containsString(CODE_REFUSED)));
    }

    @Test
    void signsInWithARecoveryCodeOnce() throws Exception {
        var account = accounts.create(Role.SUPERVISOR);
        var recovery = account.recoveryCodes().getFirst();

        mvc.perform(post("/console/login/code").session(accounts.afterPassword(account)).with(csrf())
                .param("code", recovery)).andExpect(redirectedUrl("/console"));
        mvc.perform(post("/console/login/code").session(accounts.afterPassword(account)).with(csrf())
                .param("code", recovery)).andExpect(content().string(org.hamcrest.Matchers.containsString(CODE_REFUSED)));
    }

    @Test
    void changesTheSessionIdAtEachStepAndAnEarlierIdOpensNothing() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        var session = new MockHttpSession();
        var before = sessionCookie(mvc.perform(get("/console/login").session(session)).andReturn());
        var between = sessionCookie(mvc.perform(post("/console/login").session(session).with(csrf())
                .param("username", account.username()).param("password", ConsoleAccounts.PASSWORD)).andReturn());
        var after = sessionCookie(mvc.perform(post("/console/login/code").session(session).with(csrf())
                .param("code", accounts.nextCode(account.secret()))).andExpect(redirectedUrl("/console")).andReturn());

        assertThat(before).isNotNull();
        assertThat(between).isNotNull().isNotEqualTo(before);
        assertThat(after).isNotNull().isNotEqualTo(between).isNotEqualTo(before);
        for (var earlier : List.of(before, between)) {
            mvc.perform(get("/console").cookie(new Cookie(MockMvcSessionCookies.COOKIE, earlier)))
                    .andExpect(redirectedUrl("/console/login"));
        }
        mvc.perform(get("/console").cookie(new Cookie(MockMvcSessionCookies.COOKIE, after))).andExpect(status().isOk());
    }

    private static String sessionCookie(MvcResult result) {
        var cookie = result.getResponse().getCookie(MockMvcSessionCookies.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    @Test
    void unknownNamesAndWrongPasswordsGetTheSameAnswer() throws Exception {
        var account = accounts.create(Role.OPERATOR);

        var wrongPassword = mvc.perform(post("/console/login").with(csrf())
                        .param("username", "someone").param("password", "wrong password here"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        var unknownName = mvc.perform(post("/console/login").with(csrf())
                        .param("username", "someone").param("password", "wrong password here"))
                .andReturn().getResponse().getContentAsString();
        var wrongForAccount = mvc.perform(post("/console/login").with(csrf())
                        .param("username", account.username()).param("password", "wrong password here"))
                .andReturn().getResponse().getContentAsString();

        assertThat(wrongPassword).contains(FAILED);
        assertThat(withoutVariableParts(wrongForAccount, account.username()))
                .isEqualTo(withoutVariableParts(unknownName, "someone"));
    }

    @Test
    void wrongPasswordsFromAnyoneDoNotKeepTheOperatorOut() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        for (var i = 0; i < 20; i++) {
            mvc.perform(post("/console/login").with(csrf())
                            .param("username", account.username()).param("password", "wrong password " + i))
                    .andExpect(content().string(org.hamcrest.Matchers.containsString(FAILED)));
        }

        assertThat(accounts.signIn(account)).isNotNull();
    }

    @Test
    void wrongCodesLockTheSecondStep() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        for (var i = 0; i < 5; i++) {
            mvc.perform(post("/console/login/code").session(accounts.afterPassword(account)).with(csrf())
                            .param("code", ConsoleAccounts.wrong(accounts.nextCode(account.secret()))))
                    .andExpect(content().string(org.hamcrest.Matchers.containsString(CODE_REFUSED)));
        }

        mvc.perform(post("/console/login/code").session(accounts.afterPassword(account)).with(csrf())
                        .param("code", accounts.codeNow(account.secret())))
                .andExpect(content().string(org.hamcrest.Matchers.containsString(CODE_REFUSED)));
        clock.advance(Duration.ofSeconds(30));
        assertThat(accounts.signIn(account)).isNotNull();
    }

    @Test
    void refusesPostsWithoutACsrfToken() throws Exception {
        var account = accounts.create(Role.ADMIN);
        var session = accounts.signIn(account);

        mvc.perform(post("/console/login").param("username", account.username())
                .param("password", ConsoleAccounts.PASSWORD)).andExpect(status().isForbidden());
        mvc.perform(post("/console/users").session(session).param("username", "csrf-victim")
                .param("role", "ADMIN").param("password", ConsoleAccounts.PASSWORD)).andExpect(status().isForbidden());
        mvc.perform(post("/console/logout").session(session)).andExpect(status().isForbidden());
        mvc.perform(post("/console/users").session(session).with(csrf().useInvalidToken()).param("username", "csrf-victim")
                .param("role", "ADMIN").param("password", ConsoleAccounts.PASSWORD)).andExpect(status().isForbidden());

        mvc.perform(get("/console/users").session(session)).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("csrf-victim"))));
    }

    @Test
    void signingOutEndsTheSessionAndIsRecorded() throws Exception {
        var account = accounts.create(Role.COORDINATOR);
        var session = accounts.signIn(account);

        mvc.perform(post("/console/logout").session(session).with(csrf()))
                .andExpect(redirectedUrl("/console/login?signed-out"));

        assertThat(session.isInvalid()).isTrue();
        assertThat(access.latest(1).getFirst()).satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(account.id().value());
            assertThat(entry.action()).isEqualTo("sign-out");
        });
    }

    @Test
    void theSecondStepExpires() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        var session = accounts.afterPassword(account);

        clock.advance(Duration.ofMinutes(5));

        mvc.perform(post("/console/login/code").session(session).with(csrf())
                .param("code", accounts.codeNow(account.secret()))).andExpect(redirectedUrl("/console/login?expired"));
    }

    @Test
    void enrolsANewAccountWithQrCodeRecoveryCodesAndAConfirmingCode() throws Exception {
        var created = administration.create(ConsoleAccounts.uniqueName("new"), Role.OPERATOR, ConsoleAccounts.PASSWORD);
        var session = new MockHttpSession();
        mvc.perform(post("/console/login").session(session).with(csrf())
                        .param("username", created.username()).param("password", ConsoleAccounts.PASSWORD))
                .andExpect(redirectedUrl("/console/login/enrol"));

        var page = mvc.perform(get("/console/login/enrol").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        var secret = page.replaceAll("(?s).*<code class=\"secret\">([A-Z2-7]+)</code>.*", "$1");
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(page).containsPattern("<code>([a-z2-9]{4}-){3}[a-z2-9]{4}</code>");
        assertThat(mvc.perform(get("/console/login/enrol").session(session)).andReturn().getResponse()
                .getContentAsString()).as("the same secret on reload").contains(secret);
        var png = mvc.perform(get("/console/login/enrol/qr.png").session(session))
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andExpect(header().string("Cache-Control", org.hamcrest.Matchers.containsString("no-store")))
                .andReturn().getResponse().getContentAsByteArray();
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth()).isEqualTo(240);

        mvc.perform(post("/console/login/enrol").session(session).with(csrf())
                        .param("code", ConsoleAccounts.wrong(accounts.nextCode(secret))))
                .andExpect(content().string(org.hamcrest.Matchers.containsString(CODE_REFUSED)));
        mvc.perform(get("/console").session(session)).andExpect(redirectedUrl("/console/login"));
        // back to the page asked for while signed out
        mvc.perform(post("/console/login/enrol").session(session).with(csrf()).param("code", accounts.codeNow(secret)))
                .andExpect(redirectedUrl("http://localhost/console"));

        // signed in; an admin chose its password, so it chooses its own first (AccountPasswordIntegrationTests)
        mvc.perform(get("/console").session(session)).andExpect(status().isSeeOther())
                .andExpect(header().string("Location", "/console/account/password"));
        var next = new MockHttpSession();
        mvc.perform(post("/console/login").session(next).with(csrf())
                        .param("username", created.username()).param("password", ConsoleAccounts.PASSWORD))
                .andExpect(redirectedUrl("/console/login/code"));
    }

    @Test
    void consolePagesCarryAStrictContentSecurityPolicy() throws Exception {
        mvc.perform(get("/console/login"))
                .andExpect(header().string("Content-Security-Policy", ContentSecurityPolicy.SCRIPTED_PAGES_WITH_MEDIA))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("Referrer-Policy", "no-referrer"));
    }

    @Test
    void leavesPublicPagesAndWebhooksAlone() throws Exception {
        var client = HttpClient.newHttpClient();
        var home = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        var webhook = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/no-such-channel"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        // whatever the site and the channels answer, it is not the console's security
        for (var response : java.util.List.of(home, webhook)) {
            assertThat(response.statusCode()).as("no CSRF refusal, no login demand").isNotIn(401, 403);
            assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("/console");
            assertThat(response.headers().allValues("Set-Cookie")).as("no session").isEmpty();
        }
    }

    /** The CSRF token differs per response and the typed username is shown again; nothing else may. */
    private static String withoutVariableParts(String page, String username) {
        return page.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "").replace("value=\"" + username + "\"", "");
    }
}
