package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.SettledHeap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * One client floods the web chat from loopback (as every Tor client arrives) with junk: resumes that pay the sum
 * with made-up codenames, replayed and forged challenges, starts without work. Meanwhile a new visitor starts a chat
 * and finishes a surrender intake. Small budgets (10 resumes and 10 failed resumes a minute) so that the flood spends them.
 * (Its server also lists a trusted proxy other than loopback, which the last test uses.)
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"lifeline.webchat.resumes-per-minute=10",
                "lifeline.webchat.failed-resumes-per-minute=10",
                "spring.datasource.hikari.maximum-pool-size=5",
                // the only trusted proxy is elsewhere: requests from loopback are not believed about HTTPS here
                "server.tomcat.remoteip.internal-proxies=192\\.0\\.2\\.1"})
class WebChatFloodIntegrationTests {

    static final Pattern REFERENCE = Pattern.compile("[2-9A-Z]{3}-[2-9A-Z]{3,4}");
    static final int JUNK_CLIENTS = 4;
    static final int JUNK_EACH = 60;

    @LocalServerPort
    int port;

    @Autowired
    OperatorAdministration administration;

    @Test
    void aRealVisitorStartsAndFinishesAnIntakeWhileJunkFloodsTheChat() throws Exception {
        var operator = signedInOperator();
        assertThat(operator.get("/console").statusCode()).as("the operator's queue page").isEqualTo(200);
        var answered = new ConcurrentHashMap<String, AtomicInteger>();
        var flooding = new AtomicBoolean(true);
        var resumeBitsSeen = new AtomicInteger();
        var pool = flood(answered, flooding, resumeBitsSeen, new AtomicLong());
        await().atMost(Duration.ofMinutes(1)).until(() -> answered.values().stream().mapToInt(AtomicInteger::get).sum() > 40);

        // the console's queue page, timed while the junk goes on
        var junkBefore = junk(answered);
        var pageMillis = new ArrayList<Long>();
        for (var i = 0; i < 20; i++) {
            var started = System.nanoTime();
            assertThat(operator.get("/console").statusCode()).isEqualTo(200);
            pageMillis.add((System.nanoTime() - started) / 1_000_000);
        }
        var junkDuring = junk(answered) - junkBefore;

        var started = System.nanoTime();
        var visitor = new ChatClient(port, "en");
        visitor.start();
        var reference = intake(visitor);
        var intakeMillis = (System.nanoTime() - started) / 1_000_000;
        flooding.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();

        // The heap: two more floods of the same junk, each from the heap the one before left (its caches filled, its
        // connections and threads made), with no visitor: what one adds is what its junk requests leave behind.
        // Memory kept for each request grows the heap over both floods; a shared machine's load has once moved the
        // settled heap by a flood's payload in one of them (a pool or a cache growing under load, not twice).
        var heap = new long[] {SettledHeap.used(), 0, 0};
        var exchanged = new long[2];
        for (var n = 0; n < 2; n++) {
            var again = new ConcurrentHashMap<String, AtomicInteger>();
            var payload = new AtomicLong();
            var floodingAgain = new AtomicBoolean(true);
            var nextPool = flood(again, floodingAgain, new AtomicInteger(), payload);
            await().atMost(Duration.ofMinutes(5)).until(() -> junk(again) >= junk(answered));
            floodingAgain.set(false);
            nextPool.shutdown();
            assertThat(nextPool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            heap[n + 1] = SettledHeap.used();
            exchanged[n] = payload.get();
        }

        Collections.sort(pageMillis);
        System.out.printf("web chat flood: junk answered %s; the visitor's start and intake took %d ms (case %s); "
                        + "resume work asked %d bits at most; a signed-in operator's queue page median %d ms, max %d ms "
                        + "(%d junk requests answered meanwhile); two more floods: heap used after full GC %d KiB "
                        + "before, %d KiB after the first (exchanged %d KiB), %d KiB after the second (exchanged %d KiB)%n",
                answered, intakeMillis, reference, resumeBitsSeen.get(), pageMillis.get(pageMillis.size() / 2),
                pageMillis.getLast(), junkDuring, heap[0] >> 10, heap[1] >> 10, exchanged[0] >> 10, heap[2] >> 10,
                exchanged[1] >> 10);
        assertThat(reference).as("a case reference").isNotNull();
        assertThat(answered.get("resume with the sum").get()).isPositive();
        assertThat(answered).as("junk resumes spent their own budget").containsKey("resume with the sum 429");
        assertThat(answered).doesNotContainKeys("replayed resume 303", "resume without work 303",
                "start without work 303", "resume with the sum 303");
        // the junk typed the sum, which spends a budget of its own: browsers are asked no more work for it
        assertThat(resumeBitsSeen.get()).as("the work asked of browsers").isEqualTo(14);
        assertThat(junkDuring).as("junk answered while the operator's page was timed").isPositive();
        assertThat(pageMillis.get(pageMillis.size() / 2)).as("the operator's queue page stays fast (median ms)")
                .isLessThan(2_000);
        // Memory the server kept for each junk request (its form, its page, a codename's state) would add up to
        // a fair part of what a flood sent and received, in each flood; over at least one of the two the heap grows
        // by less than that whole amount.
        assertThat(heap[1] - heap[0] < exchanged[0] || heap[2] - heap[1] < exchanged[1])
                .as("heap growth over a flood below what it exchanged, in one flood of two at least: grew %d and %d "
                        + "bytes, exchanged %d and %d", heap[1] - heap[0], heap[2] - heap[1], exchanged[0], exchanged[1])
                .isTrue();
    }

    /** The junk clients, sending until told to stop or done; what they exchange is added to {@code payload}. */
    private ExecutorService flood(Map<String, AtomicInteger> answered, AtomicBoolean flooding,
            AtomicInteger resumeBitsSeen, AtomicLong payload) {
        var pool = Executors.newFixedThreadPool(JUNK_CLIENTS);
        for (var c = 0; c < JUNK_CLIENTS; c++) {
            pool.submit(() -> {
                try (var junk = new ChatClient(port, "en")) {
                    var replayed = ChatClient.resumeForm(junk.page());
                    for (var i = 0; i < JUNK_EACH && flooding.get(); i++) {
                        var page = junk.page();
                        resumeBitsSeen.accumulateAndGet(
                                Integer.parseInt(page.getElementById("resume").attr("data-bits")), Math::max);
                        var paid = ChatClient.resumeForm(page);
                        paid.put("codename", "junk " + UUID.randomUUID());
                        count(answered, "resume with the sum", junk.post(paid).statusCode());
                        replayed.put("codename", "junk " + UUID.randomUUID());
                        count(answered, "replayed resume", junk.post(replayed).statusCode());
                        count(answered, "resume without work",
                                junk.post(Map.of("op", "resume", "codename", "junk " + i)).statusCode());
                        var forged = ChatClient.fields(page.getElementById("start"));
                        // work that is not: a guessed number meets the bits asked once in 2^bits tries, as work would,
                        // so the forger sends one whose hash starts with a one bit (a fixed "1" passed once in a run)
                        forged.put("work", unworked(forged.get("challenge")));
                        count(answered, "start without work", junk.post(forged).statusCode());
                    }
                    payload.addAndGet(junk.exchanged);
                }
                return null;
            });
        }
        return pool;
    }

    /** A number whose SHA-256 with the challenge has no leading zero bit: no amount of work asked accepts it. */
    private static String unworked(String challenge) {
        for (int n = 1; ; n++) {
            if (Challenges.leadingZeroBits(Challenges.sha256(challenge + ":" + n)) == 0) {
                return Integer.toString(n);
            }
        }
    }

    private static int junk(Map<String, AtomicInteger> answered) {
        return answered.entrySet().stream().filter(e -> !e.getKey().matches(".* [0-9]{3}"))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** A console session of a new operator, signed in through both steps over real HTTP. */
    private ConsoleBrowser signedInOperator() throws Exception {
        var account = administration.createEnrolled("flood-" + UUID.randomUUID().toString().substring(0, 8),
                Role.OPERATOR, "a long enough password");
        var browser = new ConsoleBrowser(port);
        browser.post("/console/login", Map.of("username", account.operator().username(),
                "password", "a long enough password"));
        var code = new DefaultCodeGenerator().generate(account.enrolment().secret(), System.currentTimeMillis() / 30_000);
        assertThat(browser.post("/console/login/code", Map.of("code", code)).statusCode()).as("signed in")
                .isEqualTo(302);
        return browser;
    }

    /** A browser on the console: its cookies, and each form posted with its page's CSRF token. */
    private record ConsoleBrowser(int port, HttpClient http) {

        ConsoleBrowser(int port) {
            this(port, HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build());
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
            var all = new LinkedHashMap<>(fields);
            all.put("_csrf", Jsoup.parse(get(path).body()).selectFirst("input[name=_csrf]").attr("value"));
            var body = all.entrySet().stream().map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", "http://127.0.0.1:" + port)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void forwardedHeadersFromAnAddressNotListedAsATrustedProxyAreNotBelieved() {
        var client = new ChatClient(port, "en").header("X-Forwarded-Proto", "https");
        client.start();
        assertThat(client.last.headers().firstValue("Set-Cookie")).get().asString().doesNotContain("Secure");
        assertThat(client.last.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    /** Whatever the flow asks: the first choice, a location, or a small number; until a case reference is said. */
    private static String intake(ChatClient visitor) {
        for (var step = 0; step < 25; step++) {
            var page = settled(visitor);
            var said = page.select(".transcript .ours").eachText();
            var found = said.isEmpty() ? null : REFERENCE.matcher(said.getLast());
            if (found != null && found.find()) {
                return found.group();
            }
            var status = page.selectFirst("form.options") != null ? visitor.choose(page, 0).statusCode()
                    : page.selectFirst("#live .note:not([role])") != null ? visitor.say(page, "48.0159, 37.8029").statusCode()
                    : visitor.say(page, "3").statusCode();
            assertThat(status).as("the visitor's post at step %d", step).isEqualTo(303);
        }
        return null;
    }

    private static Document settled(ChatClient visitor) {
        var page = new Document[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            page[0] = visitor.page();
            return page[0].select("#live p.note[role=status]").isEmpty();
        });
        return page[0];
    }

    private static void count(Map<String, AtomicInteger> answered, String what, int status) {
        answered.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        answered.computeIfAbsent(what + " " + status, k -> new AtomicInteger()).incrementAndGet();
    }
}
