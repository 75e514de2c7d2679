package org.lifeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;

/** Console forms posted the way a browser without JavaScript posts them, for tests that drive a server over HTTP. */
public final class FormPosts {

    private FormPosts() {
    }

    /** Fetches the form's page for its CSRF token, then posts the form as a browser does; expects the redirect. */
    public static void submit(HttpClient http, URI base, String path, Map<String, String> fields) throws Exception {
        submit(http, base, path, base, path, fields);
    }

    /**
     * The sign-in page's first step as a browser without a cookie jar makes it, with these extra headers on both
     * requests: the page for its form token and its cookie, then the password. Returns the password's answer.
     */
    public static HttpResponse<String> passwordStep(HttpClient http, URI base, String username, String password,
            String... headers) throws Exception {
        var pageRequest = HttpRequest.newBuilder(base.resolve("/console/login"));
        if (headers.length > 0) {
            pageRequest.headers(headers);
        }
        var page = http.send(pageRequest.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("GET /console/login").isEqualTo(200);
        var token = Jsoup.parse(page.body()).selectFirst("input[name=_csrf]").attr("value");
        var cookies = page.headers().allValues("Set-Cookie").stream().map(cookie -> cookie.split(";", 2)[0])
                .collect(Collectors.joining("; "));
        var post = HttpRequest.newBuilder(base.resolve("/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base.toString())
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8)));
        if (!cookies.isEmpty()) {
            post.header("Cookie", cookies);
        }
        if (headers.length > 0) {
            post.headers(headers);
        }
        return http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Fetches the page at {@code pagePath} of one node for its CSRF token, and posts the fields to {@code path} of
     * a node, maybe another (as a load balancer without affinity may send them); expects the redirect.
     */
    public static void submit(HttpClient http, URI pageBase, String pagePath, URI base, String path,
            Map<String, String> fields) throws Exception {
        var page = http.send(HttpRequest.newBuilder(pageBase.resolve(pagePath)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("GET " + pagePath).isEqualTo(200);
        var token = Jsoup.parse(page.body()).selectFirst("input[name=_csrf]").attr("value");
        var form = new LinkedHashMap<>(fields);
        form.put("_csrf", token);
        var encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var answer = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base.toString())
                .POST(HttpRequest.BodyPublishers.ofString(encoded)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).as("POST " + path).isEqualTo(302);
    }
}
