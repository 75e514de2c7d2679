package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.platform.DataDirectory;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.FormPosts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * HTTPS as the browser saw it: behind a TLS proxy on this machine (a trusted proxy by default) that says
 * {@code X-Forwarded-Proto: https}, responses carry HSTS and the cookies are {@code Secure}; over plain HTTP neither.
 * And what Lifeline keeps on disk is for its own user only.
 */
@ConsoleTest
class TransportSecurityIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    DataDirectory dataDirectory;

    @Autowired
    OperatorAdministration administration;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void overHttpsThroughATrustedProxyEveryResponseCarriesHstsAndTheConsoleCookiesAreSecure() throws Exception {
        var console = get("/console/login", "X-Forwarded-Proto", "https");
        assertThat(console.headers().firstValue("Strict-Transport-Security")).get().asString().startsWith("max-age=");
        assertThat(console.headers().allValues("Set-Cookie")).isNotEmpty()
                .allSatisfy(cookie -> assertThat(cookie).contains("Secure", "HttpOnly", "SameSite=Strict"));
        var account = administration.createEnrolled("tls-" + UUID.randomUUID().toString().substring(0, 8),
                Role.OPERATOR, "a long enough password");
        var accepted = FormPosts.passwordStep(http, URI.create("http://127.0.0.1:" + port),
                account.operator().username(), "a long enough password", "X-Forwarded-Proto", "https");
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(accepted.headers().allValues("Set-Cookie")).filteredOn(cookie -> cookie.startsWith("lifeline_console="))
                .singleElement().asString().contains("Secure", "HttpOnly", "SameSite=Strict");
        for (var path : new String[] {"/en/", "/en/chat", "/.well-known/lifeline-channels.json", "/no-such-page"}) {
            assertThat(get(path, "X-Forwarded-Proto", "https").headers().firstValue("Strict-Transport-Security"))
                    .as(path).get().asString().startsWith("max-age=");
        }
    }

    @Test
    void overPlainHttpNoHstsAndNoSecureCookie() throws Exception {
        var console = get("/console/login");
        assertThat(console.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(console.headers().allValues("Set-Cookie")).isNotEmpty()
                .allSatisfy(cookie -> assertThat(cookie).doesNotContain("Secure"));
        assertThat(get("/en/").headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void theErrorPathIsNotAPage() throws Exception {
        var error = get("/error");
        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(error.body()).doesNotContain("999");
        assertThat(get("/error/anything").statusCode()).isEqualTo(404);
    }

    @Test
    void everyFileInTheDataDirectoryIsOwnerOnly() throws IOException {
        var others = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        try (var paths = Files.walk(dataDirectory.root())) {
            var checked = paths.peek(path -> {
                try {
                    assertThat(Files.getPosixFilePermissions(path)).as(path.toString()).doesNotContainAnyElementsOf(others);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(path -> path.toString().endsWith(".mv.db")).count();
            if (!DatabaseAvailability.onPostgres()) {
                assertThat(checked).as("the embedded database was among them").isPositive();
            }
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
