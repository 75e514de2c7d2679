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
