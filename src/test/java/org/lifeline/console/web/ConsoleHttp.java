package org.lifeline.console.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;

/** One browser on the console over real HTTP (through Tomcat, unlike MockMvc): its own cookies, no redirects followed. */
final class ConsoleHttp implements AutoCloseable {

    private final int port;
    final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    /** Bytes of request and response bodies this browser has exchanged. */
    long exchanged;

    ConsoleHttp(int port) {
        this.port = port;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** Posts a form of the page at {@code formPage}, with that page's CSRF token. */
    HttpResponse<String> post(String formPage, String path, Map<String, String> fields) {
        var page = Jsoup.parse(get(formPage).body());
        var all = new LinkedHashMap<>(fields);
        var csrf = page.selectFirst("input[name=_csrf]");
        if (csrf != null) {
            all.put("_csrf", csrf.attr("value"));
        }
        return postAsIs(path, all);
    }

    HttpResponse<String> postAsIs(String path, Map<String, String> fields) {
        var body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The password step: 302 to the code step when accepted. */
    HttpResponse<String> password(String username, String password) {
        return post("/console/login", "/console/login", Map.of("username", username, "password", password));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(90));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            var built = request.build();
            var response = http.send(built, HttpResponse.BodyHandlers.ofString());
            exchanged += built.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L)
                    + response.body().getBytes(StandardCharsets.UTF_8).length;
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Lets go of its connections and threads at once, rather than when the client is collected. */
    @Override
    public void close() {
        http.close();
    }
}
