package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.FormPosts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console as a visitor's browser sees it over real HTTP, before and while signing in: a visitor whose password
 * was not accepted starts no session (nothing written to the database: see {@link ConsoleFormTokens}), the sign-in
 * page's form token serves nothing once there is a session, and the page asked for while signed out is where the
 * sign-in ends. A context of its own, without MockMvc: Spring Security's test support replaces the form token store
 * of the application it is used on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.hikari.maximum-pool-size=5",
                "lifeline.operators.password-failures-per-minute=1000000"})
@Tag("integration")
@ExtendWith(DatabaseAvailability.class)
class ConsoleVisitorsIntegrationTests {

    private static final String PASSWORD = "a long enough password";

    @LocalServerPort
    int port;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aVisitorWhosePasswordWasNotAcceptedStartsNoSession() throws Exception {
        var before = sessionRows();
        var cookies = new CookieManager();
        var browser = HttpClient.newBuilder().cookieHandler(cookies).build();

        assertThat(status(browser, get("/console/cases/" + UUID.randomUUID()))).isEqualTo(302);
        assertThat(status(browser, get("/console"))).isEqualTo(302);
        var token = token(browser, "/console/login");
        var refused = browser.send(form("/console/login", Map.of("_csrf", token, "username",
                "nobody-" + UUID.randomUUID(), "password", "not the password")), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).as("the form's token was accepted, the password was not").isEqualTo(200);
        assertThat(cookies.getCookieStore().getCookies()).extracting(java.net.HttpCookie::getName)
                .contains(ConsoleFormTokens.COOKIE).doesNotContain(ConsoleSessionConfiguration.COOKIE);
        assertThat(sessionRows()).isLessThanOrEqualTo(before);
    }

    @Test
    void theSessionCookieComesWithTheAcceptedPasswordHttpOnlyAndSameSiteStrict() throws Exception {
        var page = HttpClient.newHttpClient().send(get("/console/login"), HttpResponse.BodyHandlers.discarding());
        assertThat(page.headers().allValues("Set-Cookie")).singleElement().asString()
                .startsWith(ConsoleFormTokens.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/console");

        var accepted = FormPosts.passwordStep(HttpClient.newHttpClient(), base(), newAccount().username(), PASSWORD);

        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(accepted.headers().allValues("Set-Cookie"))
                .filteredOn(cookie -> cookie.startsWith(ConsoleSessionConfiguration.COOKIE + "="))
                .singleElement().asString().contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure");
    }

    @Test
    void theSignInPagesTokenServesNothingOnceThereIsASession() throws Exception {
        var account = newAccount();
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        var visitorsToken = token(browser, "/console/login");
        assertThat(status(browser, form("/console/login",
                Map.of("_csrf", visitorsToken, "username", account.username(), "password", PASSWORD)))).isEqualTo(302);

        assertThat(status(browser, form("/console/login/code", Map.of("_csrf", visitorsToken, "code", code(account)))))
                .as("the code step with the sign-in page's token").isEqualTo(403);
        var sessionsToken = token(browser, "/console/login/code");
        assertThat(status(browser, form("/console/login/code", Map.of("_csrf", sessionsToken, "code", code(account)))))
                .isEqualTo(302);
        assertThat(status(browser, form("/console/logout", Map.of("_csrf", visitorsToken))))
                .as("signing out with the sign-in page's token").isEqualTo(403);
        assertThat(status(browser, get("/console"))).as("still signed in").isEqualTo(200);
    }

    @Test
    void theSignInEndsOnThePageAskedForWhileSignedOut() throws Exception {
        var account = newAccount();
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        assertThat(status(browser, get("/console/duty?from=link"))).isEqualTo(302);
        FormPosts.submit(browser, base(), "/console/login", Map.of("username", account.username(), "password", PASSWORD));

        var signedIn = browser.send(form("/console/login/code", Map.of("_csrf", token(browser, "/console/login/code"),
                "code", code(account))), HttpResponse.BodyHandlers.discarding());

        assertThat(signedIn.headers().firstValue("Location")).get().asString().endsWith("/console/duty?from=link");
    }

    private record Account(String username, String secret) {
    }

    private Account newAccount() {
        var created = administration.createEnrolled("visitor-" + UUID.randomUUID().toString().substring(0, 8),
                Role.OPERATOR, PASSWORD);
        return new Account(created.operator().username(), created.enrolment().secret());
    }

    private static String code(Account account) throws Exception {
        return new DefaultCodeGenerator().generate(account.secret(), Math.floorDiv(System.currentTimeMillis(), 30_000L));
    }

    private long sessionRows() {
        return jdbc.sql("select count(*) from console_session").query(Long.class).single();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base().resolve(path)).GET().build();
    }

    private HttpRequest form(String path, Map<String, String> fields) {
        var body = fields.entrySet().stream().map(field -> field.getKey() + "="
                + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(base().resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base().toString()).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private String token(HttpClient browser, String path) throws Exception {
        var page = browser.send(get(path), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("GET " + path).isEqualTo(200);
        return Jsoup.parse(page.body()).selectFirst("input[name=_csrf]").attr("value");
    }

    private static int status(HttpClient browser, HttpRequest request) throws Exception {
        return browser.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
