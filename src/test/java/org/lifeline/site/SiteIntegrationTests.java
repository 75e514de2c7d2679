package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import org.apache.catalina.AccessLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

/** The public site through real HTTP, as a browser, a mirror's proxy or Tor would see it. */
@SiteTest
@ExtendWith(OutputCaptureExtension.class)
class SiteIntegrationTests {

    private static final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    MirrorExport mirrorExport;

    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void sendsTheRootToTheBestLanguageWithARelativeLocation() throws Exception {
        assertThat(get("/", "Accept-Language", "ru-RU,ru;q=0.9,en;q=0.8").headers().firstValue("Location")).hasValue("ru/");
        assertThat(get("/", "Accept-Language", "ru;q=0.5, uk;q=0.8").headers().firstValue("Location")).hasValue("uk/");
        assertThat(get("/", "Accept-Language", "ko-KR,ko;q=0.9").headers().firstValue("Location")).hasValue("ko/");
        assertThat(get("/", "Accept-Language", "de-DE").headers().firstValue("Location")).hasValue("en/");
        var withoutHeader = get("/");
        assertThat(withoutHeader.statusCode()).isEqualTo(302);
        assertThat(withoutHeader.headers().firstValue("Location")).hasValue("en/");
        assertThat(withoutHeader.headers().firstValue("Vary")).hasValue("Accept-Language");
        assertThat(get("/ko").headers().firstValue("Location")).hasValue("ko/");
    }

    @Test
    void servesEveryPageInEveryLanguageInThatLanguage() throws Exception {
        for (var address : pageAddresses()) {
            var response = get(address);
            var page = PageLinks.parse(response.body());
            var language = address.split("/")[1];

            assertThat(response.statusCode()).as(address).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(address).hasValue("text/html;charset=UTF-8");
            assertThat(page.selectFirst("html").attr("lang")).as(address).isEqualTo(language);
            assertThat(page.select("h1")).as(address).hasSize(1);
            assertThat(page.select("main#main, nav[aria-label], a.skip[href=#main]")).as(address).hasSizeGreaterThanOrEqualTo(4);
            assertThat(response.body()).as(address).doesNotContain("??");
        }
    }

    @Test
    void noPageOrStylesheetLoadsOrLinksAnythingOffTheSiteAndEveryLinkWorks() throws Exception {
        var followed = new HashSet<URI>();
        for (var address : pageAddresses()) {
            var page = URI.create(base() + address);
            for (var relative : PageLinks.checkPage(address, PageLinks.parse(get(address).body()), SiteTest.OfficialLinks.all(), false)) {
                var target = page.resolve(relative);
                if (followed.add(target)) {
                    var response = http.send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as("%s links to %s", address, relative).isEqualTo(200);
                    if (target.getPath().endsWith(".css")) {
                        PageLinks.checkStylesheet(relative, response.body());
                    }
                }
            }
        }
        assertThat(followed).anyMatch(target -> target.getPath().equals("/assets/site.css"));
        var notFound = get("/ru/nowhere", "Accept", "text/html");
        PageLinks.checkPage("error page", PageLinks.parse(notFound.body()), Set.of(), true);
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersErrorsIncluded() throws Exception {
        var responses = new LinkedHashMap<String, HttpResponse<String>>();
        for (var address : List.of("/", "/ru", "/ru/", "/ko/fakes", "/assets/site.css", "/.well-known/lifeline-channels.json",
                "/nowhere", "/ru/nowhere", "/de/", "/actuator/health")) {
            responses.put("GET " + address, get(address, "Accept", "text/html"));
        }
        responses.put("POST /ru/", http.send(request("/ru/").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString()));

        assertThat(responses.get("GET /nowhere").statusCode()).isEqualTo(404);
        assertThat(responses.get("POST /ru/").statusCode()).isEqualTo(405);
        responses.forEach((name, response) -> {
            var headers = response.headers();
            assertThat(headers.firstValue("Content-Security-Policy")).as(name)
                    .hasValue("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                            + "frame-ancestors 'none'; base-uri 'none'");
            assertThat(headers.firstValue("Referrer-Policy")).as(name).hasValue("no-referrer");
            assertThat(headers.firstValue("X-Content-Type-Options")).as(name).hasValue("nosniff");
            assertThat(headers.firstValue("Cross-Origin-Opener-Policy")).as(name).hasValue("same-origin");
            assertThat(headers.firstValue("Permissions-Policy")).as(name).get().asString()
                    .contains("geolocation=()", "camera=()", "microphone=()");
            assertThat(headers.firstValue("Cache-Control")).as(name).isPresent();
            assertThat(headers.allValues("Set-Cookie")).as(name).isEmpty();
        });
        assertThat(responses.get("GET /ru/").headers().firstValue("Cache-Control")).hasValue("max-age=300, public");
        assertThat(responses.get("GET /ru/nowhere").headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(responses.get("GET /").headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void noErrorEchoesWhatTheRequestCarried() throws Exception {
        for (var address : List.of("/en/nosuch/IVAN_PETROV", "/en/chat/IVAN_PETROV?name=IVAN_PETROV",
                "/webhooks/IVAN_PETROV", "/IVAN_PETROV")) {
            for (var accept : List.of("text/html", "application/json", "*/*")) {
                var response = get(address, "Accept", accept);
                assertThat(response.statusCode()).as("%s as %s", address, accept).isBetween(400, 499);
                assertThat(response.body()).as("%s as %s", address, accept).doesNotContain("IVAN_PETROV", "\"path\"");
            }
        }
    }

    @Test
    void aPathTheContainerRefusesGetsABareAnswerWithTheSecurityHeaders() throws Exception {
        for (var address : List.of("/en/%00IVAN_PETROV", "/en/%2e%2e%00/IVAN_PETROV")) {
            var response = rawGet(address, "Accept: text/html");
            var head = response.substring(0, response.indexOf("\r\n\r\n"));
            assertThat(response).as(address).startsWith("HTTP/1.1 400 ")
                    .doesNotContain("IVAN_PETROV", "Apache Tomcat", "Tomcat", "Exception", "Report");
            assertThat(head).as(address).contains(
                    "Content-Security-Policy: " + ContentSecurityPolicy.PAGES, "X-Frame-Options: DENY",
                    "Cache-Control: no-store", "X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer");
        }
    }

    @Test
    void livePagesOpenTheChatOfTheServerThatAnswersThemRelatively() throws Exception {
        for (var address : List.of("/ko/", "/ru/contact")) {
            assertThat(PageLinks.parse(get(address).body()).select("main a[href]").eachAttr("href")).as(address).contains("chat");
        }
        assertThat(get("/ru/chat").statusCode()).isEqualTo(200);
    }

    @Test
    void announcesTheConfiguredOnionForThePageAsked() throws Exception {
        assertThat(get("/ko/safety").headers().firstValue("Onion-Location")).hasValue("http://" + SiteTest.ONION + "/ko/safety");
        assertThat(get("/actuator/health").headers().firstValue("Onion-Location")).isEmpty();
    }

    @Test
    void servesTheSameBytesWhateverHostTheRequestNames() throws Exception {
        for (var address : List.of("/ru/", "/ko/contact", "/", "/.well-known/lifeline-channels.json", "/nowhere")) {
            var onion = rawGet(address, "Host: abc.onion", "Accept: text/html");
            var mirror = rawGet(address, "Host: mirror.example", "Accept: text/html", "X-Forwarded-Host: evil.example",
                    "X-Forwarded-Proto: https", "Forwarded: host=evil.example;proto=https");

            // the proxy on this machine (trusted) says the request came over HTTPS: browsers are told to stay on it
            assertThat(mirror).as(address).contains("\r\nStrict-Transport-Security: max-age=");
            assertThat(mirror.replaceAll("\r\nStrict-Transport-Security: [^\r]*", "")).as(address).isEqualTo(onion);
            assertThat(onion).as(address).doesNotContain("abc.onion").doesNotContain("127.0.0.1");
            assertThat(mirror).as(address).doesNotContain("mirror.example").doesNotContain("evil.example");
        }
    }

    @Test
    void keepsEveryPageWellUnderThirtyKilobytes() throws Exception {
        for (var address : pageAddresses()) {
            assertThat(get(address).body().getBytes(StandardCharsets.UTF_8).length).as(address).isLessThan(30 * 1024);
        }
        assertThat(get("/assets/site.css").body().length()).isLessThan(8 * 1024);
    }

    @Test
    void publishesAChannelListThatVerifiesWithThePublishedKeyAndNotAfterTampering() throws Exception {
        var document = get("/.well-known/lifeline-channels.json").body();
        var publicKey = get("/.well-known/lifeline-channels.pub.json").body();

        var payload = ChannelList.verify(document, publicKey);
        assertThat(payload).contains("+380 44 350 89 17", "@lifeline_example_bot", "https://mirror-one.example/",
                SiteTest.ONION, "https://live.example/");
        assertThat(publicKey).doesNotContain("privateKey").contains("Ed25519PublicKey");

        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(document.replace("lifeline_example_bot", "lifeline_examp1e_bot"), publicKey));
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(document.replace("+380 44 350 89 17", "+7 495 000 00 00"), publicKey));
        com.google.crypto.tink.signature.SignatureConfig.register();
        var otherKey = TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(
                KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput).getPublicKeysetHandle());
        assertThatExceptionOfType(GeneralSecurityException.class).isThrownBy(() -> ChannelList.verify(document, otherKey));
    }

    @Test
    void fingerprintIsTheSha256OfTheRawPublicKeyAndTheFakesPageShowsIt() throws Exception {
        var publicKey = get("/.well-known/lifeline-channels.pub.json").body();
        // Independently of Tink: the key value is an Ed25519PublicKey message whose last 32 bytes are the key.
        var value = java.util.Base64.getDecoder().decode(tools.jackson.databind.json.JsonMapper.shared().readTree(publicKey)
                .path("key").get(0).path("keyData").path("value").asString());
        var raw = java.util.Arrays.copyOfRange(value, value.length - 32, value.length);
        var hex = java.util.HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw));

        var fingerprint = ChannelList.fingerprint(publicKey);
        assertThat(fingerprint.replace(" ", "")).isEqualTo(hex);
        assertThat(fingerprint).matches("([0-9A-F]{4} ){15}[0-9A-F]{4}");
        for (var language : SiteLanguage.all()) {
            assertThat(PageLinks.parse(get("/" + language.code() + "/fakes").body()).select("main").text())
                    .as(language.code()).contains(fingerprint).contains("/verify");
        }
    }

    @Test
    void neverLogsTheVisitorsAddress(CapturedOutput output) throws Exception {
        var before = output.getAll().length();
        http.send(request("/ru/contact").header("X-Forwarded-For", "198.51.100.23")
                .header("X-Real-IP", "198.51.100.23").header("Forwarded", "for=198.51.100.23").build(),
                HttpResponse.BodyHandlers.ofString());
        http.send(request("/ru/nowhere").header("X-Forwarded-For", "198.51.100.23").build(), HttpResponse.BodyHandlers.ofString());

        var logged = output.getAll().substring(before);
        assertThat(logged).doesNotContain("198.51.100.23").doesNotContain("127.0.0.1");
        var tomcat = ((TomcatWebServer) context.getWebServer()).getTomcat();
        var valves = new ArrayList<>(List.of(tomcat.getEngine().getPipeline().getValves()));
        valves.addAll(List.of(tomcat.getHost().getPipeline().getValves()));
        assertThat(valves).as("no access log").noneMatch(AccessLog.class::isInstance);
    }

    @Test
    void answersRequestsTheContainerCannotParseWith400AndLogsNothing(CapturedOutput output) throws Exception {
        var before = output.getAll().length();
        var form = "application/x-www-form-urlencoded";
        // a query badly percent-encoded, which the JDK's client will not send
        assertThat(rawGet("/ru/chat?c=%zz", "Host: 127.0.0.1")).startsWith("HTTP/1.1 400");
        var requests = List.of(
                request("/ru/chat").header("Content-Type", form).header("Sec-Fetch-Site", "same-origin")
                        .POST(HttpRequest.BodyPublishers.ofString("op=send&text=%E0%A4%A&x=%ZZ")).build(),
                request("/ru/chat").header("Content-Type", "multipart/form-data; boundary=b")
                        .header("Sec-Fetch-Site", "same-origin")
                        .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"op\"\r\n")).build(),
                request("/ru/chat").header("Content-Type", form).header("Sec-Fetch-Site", "same-origin")
                        .POST(HttpRequest.BodyPublishers.ofString("op=send&text=" + "x".repeat(3 << 20))).build());
        for (var request : requests) {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s %s", request.method(), request.uri()).isBetween(400, 499);
        }

        var logged = output.getAll().substring(before);
        assertThat(logged).doesNotContain("ERROR").doesNotContain("WARN");
    }

    @Test
    void neverServesTheTestsAccessibilityScript() throws Exception {
        assertThat(get("/webjars/axe-core/4.6.3/axe.min.js").statusCode()).isEqualTo(404);
        assertThat(get("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js").statusCode()).isEqualTo(404);
    }

    @Test
    void exportsAMirrorKitWithOnlyRelativeLinksThatResolveAndChatOnTheLiveEntryPoints(@TempDir Path kit) throws Exception {
        var files = mirrorExport.export(kit);

        assertThat(kit.resolve("index.html")).exists();
        assertThat(kit.resolve("assets/site.css")).exists();
        assertThat(files).hasSizeGreaterThan(SiteLanguage.all().size() * SitePage.values().length);
        assertThat(ChannelList.verify(Files.readString(kit.resolve(".well-known/lifeline-channels.json")),
                Files.readString(kit.resolve(".well-known/lifeline-channels.pub.json")))).contains(SiteTest.ONION);
        for (var file : files.stream().filter(file -> file.toString().endsWith(".html")).toList()) {
            var name = kit.relativize(file).toString();
            var page = PageLinks.parse(Files.readString(file));
            for (var relative : PageLinks.checkPage(name, page, SiteTest.OfficialLinks.all(), false)) {
                var target = file.getParent().resolve(URI.create(relative).getPath().isEmpty() ? file.getFileName().toString()
                        : URI.create(relative).getPath()).normalize();
                assertThat(target).as("%s links to %s", name, relative).isRegularFile().startsWith(kit);
            }
            assertThat(page.select("meta[http-equiv=Content-Security-Policy]")).as(name).hasSize(1);
        }
        var contact = PageLinks.parse(Files.readString(kit.resolve("ko/contact.html")));
        assertThat(contact.select("a[href]").eachAttr("href"))
                .contains("https://live.example/ko/chat", "http://" + SiteTest.ONION + "/ko/chat", "surrender.html", "../ru/contact.html")
                .as("a static mirror has no chat of its own").doesNotContain("chat", "chat.html");
    }

    private List<String> pageAddresses() {
        var addresses = new ArrayList<String>();
        for (var language : SiteLanguage.all()) {
            for (var page : SitePage.values()) {
                addresses.add("/" + language.code() + "/" + page.path());
            }
        }
        return addresses;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base() + path));
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        var request = request(path);
        for (var i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** HTTP/1.0 over a plain socket: the JDK client will not let a test choose the Host header. */
    private String rawGet(String path, String... headers) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\n" + String.join("\r\n", headers) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.replaceAll("(?m)^Date: .*\r\n", "");
        }
    }
}
