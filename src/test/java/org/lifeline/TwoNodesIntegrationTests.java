package org.lifeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lifeline.testing.FormPosts.submit;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.flows.engine.Command;
import org.lifeline.flows.engine.Entry;
import org.lifeline.flows.engine.FlowEngine;
import org.lifeline.flows.engine.FlowLibrary;
import org.lifeline.flows.engine.Input;
import org.lifeline.flows.engine.Step;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.platform.DataDirectory;
import org.lifeline.platform.ServiceName;
import org.lifeline.privacy.envelope.Keysets;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.SeveralBotsApi;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes on one PostgreSQL schema, as production scales out: two whole applications in this JVM, each on its own
 * port with its own data directory, both doing background work, sharing the keysets that every node must share
 * (master, blind index, site signing, operators' TOTP). Each node talks to a Bot API fake of its own, so every
 * message sent is known to come from one node or the other.
 * <p>
 * Tagged {@code cluster}: only the PostgreSQL execution of surefire selects it (embedded H2 is one node by nature);
 * run anywhere else it fails rather than pretend.
 */
@Tag("cluster")
@ExtendWith({DatabaseAvailability.class, OutputCaptureExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIntegrationTests {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final String SECRET = "two-nodes-webhook-secret_0123456789";
    static final String PASSWORD = "a long enough password";
    static final int CHATS = 20;
    /** The nodes send at most this many messages a second to one chat (lifeline.telegram.per-chat-per-second). */
    static final int PER_CHAT_PER_SECOND = 5;
    /** What every chat presses after /start: the information menu, then three of its topics. */
    static final List<String> PRESSES = List.of("information", "treatment", "first_days", "crossing");
    static final Pattern CONVERSATION_LINK = Pattern.compile("/console/(?:conversations|cases)/[0-9a-f-]{36}");

    /** Two bots both nodes serve, and one only node B serves (nothing of it can be handled on node A). */
    final String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    final List<Bot> shared = List.of(new Bot("two_nodes_1_" + suffix, "7100000001:AAtwonodesone" + suffix),
            new Bot("two_nodes_2_" + suffix, "7100000002:AAtwonodestwo" + suffix));
    final Bot onlyOnB = new Bot("two_nodes_b_" + suffix, "7100000003:AAtwonodesbee" + suffix);

    final SeveralBotsApi telegramOfA = new SeveralBotsApi(30, Duration.ofMillis(150));
    final SeveralBotsApi telegramOfB = new SeveralBotsApi(30, Duration.ofMillis(150));
    final HttpClient http = HttpClient.newHttpClient();
    ConfigurableApplicationContext nodeA;
    ConfigurableApplicationContext nodeB;

    record Bot(String username, String token) {
    }

    @BeforeAll
    void startTwoNodes(@TempDir Path data) throws Exception {
        assertThat(DatabaseAvailability.onPostgres())
                .as("two nodes need a database two processes can share: run this class in the postgres execution")
                .isTrue();
        // a schema of their own: what other classes of the run left (their open conversations fill the queue) must not
        // slow what these nodes are timed on; both nodes get the same keysets through configuration, as nodes get
        // them from a secret store
        var schema = System.getProperty("spring.flyway.schemas") + "_two_nodes";
        var url = System.getProperty("spring.datasource.url").replaceAll("currentSchema=[^&]*", "currentSchema=" + schema);
        var keys = Files.createDirectories(data.resolve("keys"));
        AeadConfig.register();
        SignatureConfig.register();
        var master = keyset(keys.resolve("master-keyset.json"), Keysets::newMasterKeyset);
        var index = keyset(keys.resolve("index-keyset.json"), Keysets::newIndexKeyset);
        var totp = keyset(keys.resolve("operators.json"), () -> tink(PredefinedAeadParameters.AES256_GCM));
        var siteSigning = keys.resolve("site-signing.json");
        keyset(siteSigning, () -> tink(PredefinedSignatureParameters.ED25519WithRawOutput));
        var common = List.of("--server.port=0", "--spring.datasource.hikari.maximum-pool-size=8",
                "--spring.datasource.url=" + url, "--spring.flyway.schemas=" + schema,
                "--lifeline.crypto.master-keyset=" + master, "--lifeline.crypto.index-keyset=" + index,
                "--lifeline.operators.totp-keyset=" + totp, "--lifeline.site.signing-keyset=" + siteSigning,
                "--lifeline.telegram.per-chat-per-second=" + PER_CHAT_PER_SECOND,
                "--lifeline.retention.check-every=200ms");

        nodeA = start(common, data.resolve("node-a"), telegramOfA, shared);
        var both = new ArrayList<>(shared);
        both.add(onlyOnB);
        nodeB = start(common, data.resolve("node-b"), telegramOfB, both);
    }

    @AfterAll
    void stopNodes() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        telegramOfA.close();
        telegramOfB.close();
    }

    @Test
    @Order(1)
    void everyUpdateIsAnsweredOnceAndInOrderWhicheverNodeItArrivesAt() throws Exception {
        var expected = expectedReplies(nodeA.getBean(ServiceName.class));
        var firstChat = 710_000_000L + (System.nanoTime() % 100_000_000L);
        var chats = new ArrayList<Long>();
        for (int c = 0; c < CHATS; c++) {
            chats.add(firstChat + c);
        }
        // each chat writes in order, one update after the other's 2xx (as Telegram delivers), alternately to
        // node A's and node B's webhook; its first update is redelivered to the other node, as after a timeout
        try (var writers = Executors.newVirtualThreadPerTaskExecutor()) {
            var written = new ArrayList<Future<?>>();
            for (int c = 0; c < CHATS; c++) {
                var chat = chats.get(c);
                var bot = shared.get(c % shared.size());
                var node = c;
                written.add(writers.submit(() -> {
                    var person = new PrivateChatUpdates(chat, "Алексей", "ru");
                    var updates = new ArrayList<String>();
                    updates.add(person.text("/start").toString());
                    PRESSES.forEach(press -> updates.add(person.press(press).toString()));
                    for (int u = 0; u < updates.size(); u++) {
                        deliver((node + u) % 2 == 0 ? nodeA : nodeB, bot, updates.get(u));
                        if (u == 0) {
                            deliver((node + u) % 2 == 0 ? nodeB : nodeA, bot, updates.get(u));
                        }
                    }
                    return null;
                }));
            }
            for (var future : written) {
                future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        }

        var total = CHATS * expected.size();
        await().atMost(DEADLINE).until(() -> accepted().size() >= total);
        // and nothing more arrives: what is still under way would be a duplicate
        var seen = new AtomicInteger(-1);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> seen.getAndSet(allSends().size()) == allSends().size());

        var sends = accepted();
        assertThat(sends).hasSize(total);
        var gap = Duration.ofSeconds(1).dividedBy(PER_CHAT_PER_SECOND).toNanos();
        for (var chat : chats) {
            var toChat = sends.stream().filter(s -> s.send().chat() == chat).toList();
            assertThat(toChat.stream().map(s -> unescape(s.send().text())).toList())
                    .as("what chat %d was sent, in order", chat).isEqualTo(expected);
            for (int i = 1; i < toChat.size(); i++) {
                assertThat(toChat.get(i).send().arrivedNanos() - toChat.get(i - 1).send().arrivedNanos())
                        .as("spacing to chat %d", chat).isGreaterThanOrEqualTo(gap * 9 / 10);
            }
        }
        for (var bot : shared) {
            var nodes = sends.stream().filter(s -> s.send().token().equals(bot.token())).map(Sent::node)
                    .collect(Collectors.toSet());
            assertThat(nodes).as("the nodes that sent for %s while both held no lease but one", bot.username())
                    .hasSize(1);
        }
        var jdbc = nodeA.getBean(JdbcClient.class);
        var states = jdbc.sql("select state, count(*) from inbound_update where endpoint in (?, ?) group by state")
                .params(shared.get(0).username(), shared.get(1).username())
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list();
        assertThat(states).as("every update stored once, the redeliveries not at all, and all processed")
                .containsExactly(Map.entry("PROCESSED", (long) CHATS * (PRESSES.size() + 1)));
    }

    @Test
    @Order(2)
    void anOperatorOnNodeASeesAtOnceWhatArrivedOnNodeB() throws Exception {
        var base = baseOf(nodeA);
        var name = "two-nodes-" + UUID.randomUUID().toString().substring(0, 8);
        var secret = nodeA.getBean(OperatorAdministration.class).createEnrolled(name, Role.OPERATOR, PASSWORD)
                .enrolment().secret();
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        submit(browser, base, "/console/login", Map.of("username", name, "password", PASSWORD));
        var code = new DefaultCodeGenerator().generate(secret, Math.floorDiv(System.currentTimeMillis(), 30_000L));
        submit(browser, base, "/console/login/code", Map.of("code", code));

        // the stream answers at once with an opening comment; what changes on node B (with a bot node A does not
        // serve, so only node B handles it) must then reach node A's stream as an event
        var events = new LinkedBlockingQueue<String>();
        var lines = browser.send(HttpRequest.newBuilder(base.resolve("/console/events"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(lines.statusCode()).isEqualTo(200);
        Thread.ofVirtual().start(() -> lines.body().filter(line -> line.startsWith("event:")).forEach(events::add));
        var before = queueLinks(browser, base);

        var text = "Где мой брат " + UUID.randomUUID();
        var requester = new PrivateChatUpdates(730_000_000L + (System.nanoTime() % 100_000_000L), "Ольга", "ru");
        deliver(nodeB, onlyOnB, requester.text(text).toString());

        var shown = awaitShown(browser, base, events, before, text, Duration.ofSeconds(10));
        var processed = nodeA.getBean(JdbcClient.class)
                .sql("select state, count(*) from inbound_update where endpoint = ? group by state")
                .param(onlyOnB.username()).query((rs, n) -> rs.getString(1) + " " + rs.getLong(2)).list();
        assertThat(shown).as("node A's console showed, after a live update, the message node B received (its "
                        + "update: %s; node A's queue now has %d conversations more)", processed,
                        queueLinks(browser, base).stream().filter(link -> !before.contains(link)).count())
                .isEqualTo("shown");
        assertThat(telegramOfA.sends()).as("node A sent nothing for a bot it does not serve")
                .noneMatch(s -> s.token().equals(onlyOnB.token()));
    }

    @Test
    @Order(3)
    void anOperatorsSessionHoldsOnWhicheverNodeEachRequestReaches() throws Exception {
        var a = baseOf(nodeA);
        var b = baseOf(nodeB);
        var name = "any-node-" + UUID.randomUUID().toString().substring(0, 8);
        var secret = nodeA.getBean(OperatorAdministration.class).createEnrolled(name, Role.OPERATOR, PASSWORD)
                .enrolment().secret();
        // one cookie jar for both nodes, as for one site behind a load balancer that alternates between them
        var cookies = new CookieManager();
        var browser = HttpClient.newBuilder().cookieHandler(cookies).build();
        submit(browser, a, "/console/login", b, "/console/login", Map.of("username", name, "password", PASSWORD));
        var code = new DefaultCodeGenerator().generate(secret, Math.floorDiv(System.currentTimeMillis(), 30_000L));
        submit(browser, a, "/console/login/code", b, "/console/login/code", Map.of("code", code));

        for (var node : List.of(a, b, a, b)) {
            assertThat(get(browser, node, "/console")).as("the console on " + node).contains(name);
        }
        var session = cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("lifeline_console")).findFirst().orElseThrow().getValue();
        submit(browser, b, "/console", a, "/console/logout", Map.of());
        // the old cookie sent again on purpose: the session itself must be gone on both nodes
        var stale = HttpClient.newHttpClient();
        for (var node : List.of(a, b)) {
            var after = stale.send(HttpRequest.newBuilder(node.resolve("/console"))
                    .header("Cookie", "lifeline_console=" + session).GET().build(), HttpResponse.BodyHandlers.discarding());
            assertThat(after.statusCode()).as("the console on %s after signing out on A", node).isEqualTo(302);
            assertThat(after.headers().firstValue("Location")).get().asString().endsWith("/console/login");
        }
    }

    @Test
    @Order(4)
    void theDailyRetentionRunRunsOnceWithBothNodesUp(CapturedOutput output) {
        var jdbc = nodeA.getBean(JdbcClient.class);
        var today = LocalDate.now(ZoneOffset.UTC);
        // today's run: done by the first node up (or earlier in this run), and long finished
        await().atMost(DEADLINE).until(() -> today.equals(lastRun(jdbc)));
        for (int round = 1; round <= 3; round++) {
            var before = runs(output.toString());
            jdbc.sql("update daily_job set last_run_on = null where name = 'retention'").update();
            await().atMost(DEADLINE).until(() -> today.equals(lastRun(jdbc)) && runs(output.toString()) > before);
            // both nodes ask every 200 ms: for well over that, no second run
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> runs(output.toString()) == before + 1);
        }
    }

    /** Both nodes' accepted messages, with the node each came from, in the order Telegram received them. */
    private List<Sent> accepted() {
        return allSends().stream().filter(s -> s.send().status() == 200).toList();
    }

    private List<Sent> allSends() {
        var all = new ArrayList<Sent>();
        telegramOfA.sends().forEach(s -> all.add(new Sent("A", s)));
        telegramOfB.sends().forEach(s -> all.add(new Sent("B", s)));
        all.sort(Comparator.comparingLong(s -> s.send().arrivedNanos()));
        return all.stream().filter(s -> shared.stream().anyMatch(b -> b.token().equals(s.send().token()))).toList();
    }

    private record Sent(String node, SeveralBotsApi.Send send) {
    }

    /** What the shipped flows answer, in order, to /start and then the presses, in Russian. */
    private static List<String> expectedReplies(ServiceName serviceName) {
        var engine = new FlowEngine(FlowLibrary.load((Path) null).registry(), Clock.systemUTC());
        var texts = new ArrayList<String>();
        Step step = engine.start("main", new Entry(null, null, "ru", true), new Input.CommandGiven(Command.RESTART));
        texts.addAll(texts(step, serviceName));
        for (var press : PRESSES) {
            step = engine.handle(step.session(), new Input.Choice(press));
            texts.addAll(texts(step, serviceName));
        }
        assertThat(texts).as("a path whose every step answers, with nothing left to fill")
                .hasSizeGreaterThan(PRESSES.size()).noneMatch(t -> t.contains("{"));
        return texts;
    }

    private static List<String> texts(Step step, ServiceName serviceName) {
        var values = Map.of("service_name", serviceName.in(step.session().language()));
        return step.outputs().stream().map(output -> output.fill(values).text()).toList();
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    /**
     * Fetches the queue on every event, as console.js does, until a conversation new since {@code before} shows the
     * text; "shown" if it did within the time, else what was seen, for the failure message.
     */
    private String awaitShown(HttpClient browser, URI base, BlockingQueue<String> events, Set<String> before,
            String text, Duration within) throws Exception {
        var until = System.nanoTime() + within.toNanos();
        int received = 0;
        var opened = new HashSet<String>();
        while (System.nanoTime() < until) {
            if (events.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS) == null) {
                break;
            }
            received++;
            for (var link : queueLinks(browser, base)) {
                if (!before.contains(link)) {
                    opened.add(link);
                    if (Jsoup.parse(get(browser, base, link)).text().contains(text)) {
                        return "shown";
                    }
                }
            }
        }
        return "not shown within %s: %d events, %d new conversations in the queue, none with the text"
                .formatted(within, received, opened.size());
    }

    private Set<String> queueLinks(HttpClient browser, URI base) throws Exception {
        var links = new HashSet<String>();
        var matcher = CONVERSATION_LINK.matcher(get(browser, base, "/console"));
        while (matcher.find()) {
            links.add(matcher.group());
        }
        return links;
    }

    private static String get(HttpClient browser, URI base, String path) throws Exception {
        var page = browser.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("GET " + path).isEqualTo(200);
        return page.body();
    }

    private static LocalDate lastRun(JdbcClient jdbc) {
        return jdbc.sql("select last_run_on from daily_job where name = 'retention'").query(LocalDate.class).optional()
                .orElse(null);
    }

    private static long runs(String log) {
        return log.lines().filter(line -> line.contains("Retention run removed")).count();
    }

    private void deliver(ConfigurableApplicationContext node, Bot bot, String update) throws Exception {
        var port = Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
        var answer = http.send(FakeTelegramBotApi.webhookDelivery(port, bot.username(), SECRET, update),
                HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).as("webhook of " + bot.username()).isEqualTo(200);
    }

    private static URI baseOf(ConfigurableApplicationContext node) {
        return URI.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext start(List<String> common, Path dataDir, SeveralBotsApi telegram,
            List<Bot> bots) {
        var args = new ArrayList<>(common);
        args.add("--lifeline.data-dir=" + dataDir);
        args.add("--lifeline.telegram.api-url=" + telegram.url());
        for (int i = 0; i < bots.size(); i++) {
            args.add("--lifeline.telegram.bots[" + i + "].username=" + bots.get(i).username());
            args.add("--lifeline.telegram.bots[" + i + "].token=" + bots.get(i).token());
            args.add("--lifeline.telegram.bots[" + i + "].webhook-secret=" + SECRET);
        }
        return new SpringApplicationBuilder(LifelineApplication.class).run(args.toArray(String[]::new));
    }

    /** A new keyset, written to this file (as a secret) and returned. */
    private static String keyset(Path file, Supplier<String> generate) throws Exception {
        DataDirectory.writeSecret(file, generate.get().getBytes(UTF_8));
        return Files.readString(file);
    }

    private static String tink(Parameters parameters) {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(parameters),
                    InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
