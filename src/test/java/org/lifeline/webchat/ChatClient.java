package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
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
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** One visitor's browser without JavaScript, over real HTTP: its own cookies, redirects followed by hand. */
final class ChatClient implements AutoCloseable {

    private final int port;
    private final String language;
    private final HttpClient http;
    private final CookieManager cookies = new CookieManager();
    /** Extra headers on every request, such as a proxy's. */
    private final Map<String, String> headers = new LinkedHashMap<>();
    HttpResponse<String> last;
    /** Bytes of request and response bodies this browser has exchanged. */
    long exchanged;

    ChatClient(int port, String language) {
        this.port = port;
        this.language = language;
        this.http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    ChatClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The session cookie's value. */
    String token() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(WebChatTestSupport.COOKIE))
                .findFirst().orElseThrow().getValue();
    }

    String path() {
        return "/" + language + "/chat";
    }

    /** The chat page as it is now. */
    Document page() {
        last = send(request(path()).GET());
        assertThat(last.statusCode()).as("GET %s", path()).isEqualTo(200);
        return Jsoup.parse(last.body());
    }

    /** Reads the start page, answers its sum and starts; returns the codename offered. */
    String start() {
        var page = page();
        var form = page.getElementById("start");
        var fields = fields(form);
        fields.put("answer", Integer.toString(sum(page.selectFirst("label[for=answer]").text())));
        var response = post(fields);
        assertThat(response.statusCode()).as("start: %s", response.body()).isEqualTo(303);
        return fields.get("codename");
    }

    /**
     * Starts and says something, so that the chat exists (a start alone stores nothing, and its codename resumes
     * nothing yet); returns the codename.
     */
    String begin() {
        var codename = start();
        // paid with work, as a browser's script pays: it spends none of the posts without work a test may count
        var response = sayWithWork(page(), "hello");
        assertThat(response.statusCode()).as("first post: %s", response.body()).isEqualTo(303);
        return codename;
    }

    /** Reads the start page and starts as a browser's script does: with the work the form asks for, no sum typed. */
    HttpResponse<String> startWithWork() {
        var form = page().getElementById("start");
        var fields = fields(form);
        fields.put("work", work(fields.get("challenge"), Integer.parseInt(form.attr("data-bits"))));
        return post(fields);
    }

    /** What the page's script finds: a number whose SHA-256 with the challenge has {@code bits} leading zero bits. */
    static String work(String challenge, int bits) {
        for (long n = 0; ; n++) {
            if (Challenges.leadingZeroBits(Challenges.sha256(challenge + ":" + n)) >= bits) {
                return Long.toString(n);
            }
        }
    }

    /** Reads the start page, answers the resume form's sum and resumes with this codename. */
    HttpResponse<String> resume(String codename) {
        var fields = resumeForm(page());
        fields.put("codename", codename);
        return post(fields);
    }

    /** The resume form of a start page, its sum answered. */
    static Map<String, String> resumeForm(Document page) {
        var fields = fields(page.getElementById("resume"));
        fields.put("answer", Integer.toString(sum(page.selectFirst("label[for=resume-answer]").text())));
        return fields;
    }

    static int sum(String question) {
        var terms = question.replaceAll("[^0-9+]", "").split("\\+");
        return Integer.parseInt(terms[0]) + Integer.parseInt(terms[terms.length - 1]);
    }

    /** Types a message into the page's message form and sends it. */
    HttpResponse<String> say(Document page, String text) {
        var fields = fields(page.getElementById("latest"));
        fields.put("text", text);
        return post(fields);
    }

    /** Types a message and sends it as the page's script does: with the work its form asks for on its token. */
    HttpResponse<String> sayWithWork(Document page, String text) {
        var fields = paid(page.getElementById("latest"));
        fields.put("text", text);
        return post(fields);
    }

    /** The hidden fields of a message's form, with the work it asks for found on its token. */
    static Map<String, String> paid(Element form) {
        var fields = fields(form);
        fields.put("work", work(fields.get("form"), Integer.parseInt(form.attr("data-bits"))));
        return fields;
    }

    /** Presses the choice button with this index. */
    HttpResponse<String> choose(Document page, int index) {
        var form = page.selectFirst("form.options");
        assertThat(form).as("a question with choices on the page").isNotNull();
        var fields = fields(form);
        fields.put("choice", form.select("button[name=choice]").get(index).attr("value"));
        return post(fields);
    }

    HttpResponse<String> post(Map<String, String> fields) {
        var body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = request(path()).header("Content-Type", "application/x-www-form-urlencoded");
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Origin")
                || name.equalsIgnoreCase("Referer") || name.equalsIgnoreCase("Sec-Fetch-Site"))) {
            // as a browser posting the chat's own form says where it comes from
            request.header("Origin", "http://127.0.0.1:" + port);
        }
        last = send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
        return last;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** The hidden fields of a form. */
    static Map<String, String> fields(Element form) {
        var fields = new LinkedHashMap<String, String>();
        for (var input : form.select("input[type=hidden]")) {
            fields.put(input.attr("name"), input.attr("value"));
        }
        return fields;
    }

    private HttpRequest.Builder request(String path) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            var built = request.build();
            var response = http.send(built, HttpResponse.BodyHandlers.ofString());
            exchanged += built.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L)
                    + response.body().getBytes(StandardCharsets.UTF_8).length;
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
