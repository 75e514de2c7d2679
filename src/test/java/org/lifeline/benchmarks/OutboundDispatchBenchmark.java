package org.lifeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.channels.internal.OutboxLoad;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.SeveralBotsApi;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outbound sending at each bot's configured rate across a slow network: not a test (surefire skips it unless named,
 * see BENCHMARKS.md). Several bots, each with a full outbox, against a fake Bot API that answers after a round trip
 * of 100 ms (as from a server in Europe) and enforces Telegram's limits (429 past 30 accepted a second per bot, or a
 * second message to a chat within 0.9 s). Beside it, in the same run against the same fake, a bare client: a loop
 * per bot that sends on a fixed schedule at the configured rate, each request on a virtual thread, with no database
 * and no outbox; it shows what the fake and this machine allow at the moment, so Lifeline's figures are read as
 * ratios to it as well as to the configured rate.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class OutboundDispatchBenchmark {

    static final int BOTS = Integer.getInteger("benchmark.bots", 3);
    static final Duration WINDOW = Duration.ofSeconds(Integer.getInteger("benchmark.outbound-seconds", 20));
    static final Duration ROUND_TRIP = Duration.ofMillis(Integer.getInteger("benchmark.bot-api-round-trip-ms", 100));
    static final int CHATS = 200;
    /** Lifeline's default, and what the bare client is paced at. */
    static final double RATE = Double.parseDouble(System.getProperty("lifeline.telegram.per-bot-per-second", "28"));

    static final SeveralBotsApi telegram = new SeveralBotsApi(30, Duration.ofMillis(900));

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        registry.add("lifeline.telegram.api-url", () -> telegram.url().toString());
        for (int i = 0; i < BOTS; i++) {
            var bot = i;
            registry.add("lifeline.telegram.bots[" + i + "].username", () -> bot(bot));
            registry.add("lifeline.telegram.bots[" + i + "].token", () -> token("lifeline", bot));
            registry.add("lifeline.telegram.bots[" + i + "].webhook-secret", () -> "bench-outbound-secret_" + bot);
        }
    }

    static String bot(int i) {
        return "lifeline_outbound_bench_" + i;
    }

    static String token(String who, int i) {
        return "70000002" + i + "0:AA" + who + "benchtoken" + i;
    }

    @AfterAll
    static void stopFake() {
        telegram.close();
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Result(String who, int bot, long accepted, long tooMany, double rate, long closestChatGapMillis, int maxInFlight) {
    }

    @Test
    void sendsAtEachBotsRateOverASlowNetwork() throws Exception {
        telegram.roundTrip(ROUND_TRIP);

        // the bare client first, then Lifeline: the fake counts each token's second on its own, and running them
        // one after the other keeps them from competing for the two cores
        var bare = bare();

        var load = new OutboxLoad(context);
        var perBot = (int) Math.ceil(RATE * (WINDOW.toSeconds() + 10));
        var rounds = (perBot + CHATS - 1) / CHATS;
        var texts = new String[rounds];
        for (int r = 0; r < rounds; r++) {
            texts[r] = "reply " + r;
        }
        var from = System.nanoTime();
        for (int i = 0; i < BOTS; i++) {
            var base = 920_000_000L + i * 1000L;
            load.queueTelegram(bot(i), LongStream.range(0, CHATS).map(c -> base + c).toArray(), texts);
        }
        var queued = Duration.ofNanos(System.nanoTime() - from);
        // measured from each bot's first accepted message over the window, which the outbox outlasts
        Thread.sleep(WINDOW.plusSeconds(2).toMillis());
        var lifeline = new ArrayList<Result>();
        for (int i = 0; i < BOTS; i++) {
            lifeline.add(result("Lifeline", i, token("lifeline", i)));
        }

        var report = report(bare, lifeline, queued, rounds * CHATS);
        System.out.println(report);
        var file = Path.of("target", "benchmarks", "outbound-" + (DatabaseAvailability.onPostgres() ? "postgres" : "h2") + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);

        // not a timed check, and 429s are reported rather than failed on: on a starved machine the bare client
        // draws them too (ConcurrentDispatchTests asserts there are none when requests are not delayed on the way)
        assertThat(lifeline).allSatisfy(r -> assertThat(r.accepted()).as("sent anything").isPositive());
    }

    /** Each bot's requests on a fixed schedule at the configured rate, round-robin over its chats, for the window. */
    private List<Result> bare() throws Exception {
        var interval = (long) (1e9 / RATE);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var start = System.nanoTime() + 200_000_000L;
            var count = (int) (RATE * WINDOW.toSeconds()) + (int) RATE;
            for (int b = 0; b < BOTS; b++) {
                var bot = b;
                executor.submit(() -> {
                    try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int n = 0; n < count; n++) {
                            var due = start + n * interval;
                            var wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(Duration.ofNanos(wait));
                            }
                            var chat = 930_000_000L + bot * 1000L + n % CHATS;
                            var request = HttpRequest.newBuilder(URI.create(telegram.url() + "/bot" + token("bare", bot) + "/sendMessage"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"chat_id\":" + chat + ",\"text\":\"bare " + n + "\"}"))
                                    .build();
                            calls.submit(() -> http.send(request, HttpResponse.BodyHandlers.discarding()));
                        }
                    }
                    return null;
                });
            }
        }
        var results = new ArrayList<Result>();
        for (int b = 0; b < BOTS; b++) {
            results.add(result("bare client", b, token("bare", b)));
        }
        return results;
    }

    /** Accepted sends in the window from the bot's first, 429s, the closest two to one chat, calls in flight. */
    private Result result(String who, int bot, String token) {
        var sends = telegram.sends().stream().filter(s -> s.token().equals(token)).toList();
        var first = sends.stream().mapToLong(SeveralBotsApi.Send::arrivedNanos).min().orElse(0);
        var until = first + WINDOW.toNanos();
        var accepted = sends.stream().filter(s -> s.status() == 200 && s.arrivedNanos() < until).count();
        var tooMany = sends.stream().filter(s -> s.status() == 429).count();
        var lastToChat = new HashMap<Long, Long>();
        var closest = Long.MAX_VALUE;
        for (var send : sends) {
            if (send.status() != 200) {
                continue;
            }
            var last = lastToChat.put(send.chat(), send.arrivedNanos());
            if (last != null) {
                closest = Math.min(closest, send.arrivedNanos() - last);
            }
        }
        return new Result(who, bot, accepted, tooMany, accepted / (WINDOW.toNanos() / 1e9),
                closest == Long.MAX_VALUE ? -1 : closest / 1_000_000, telegram.maxInFlight(token));
    }

    private String report(List<Result> bare, List<Result> lifeline, Duration queued, int perBot) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var out = new StringBuilder();
        out.append("#### Outbound, ").append(DatabaseAvailability.onPostgres() ? "PostgreSQL" : "H2").append(" — ")
                .append(LocalDate.now()).append("\n\n");
        out.append(String.format(Locale.ROOT, "%d cores, load average %.1f, %s %s; %d bots at %s messages/s each, "
                        + "Bot API round trip %d ms; %d messages queued per bot to %d chats (%d ms to queue all)%n%n",
                os.getAvailableProcessors(), os.getSystemLoadAverage(), System.getProperty("java.vm.vendor"),
                System.getProperty("java.runtime.version"), BOTS, RATE, ROUND_TRIP.toMillis(), perBot, CHATS,
                queued.toMillis()));
        out.append("| sender | bot | accepted in ").append(WINDOW.toSeconds())
                .append(" s | messages/s | of configured | of bare | 429s | closest two to one chat | most in flight |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (var list : List.of(bare, lifeline)) {
            for (var r : list) {
                var baseline = bare.get(r.bot()).rate();
                out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.1f%% | %.1f%% | %d | %d ms | %d |%n",
                        r.who(), r.bot(), r.accepted(), r.rate(), 100 * r.rate() / RATE, 100 * r.rate() / baseline,
                        r.tooMany(), r.closestChatGapMillis(), r.maxInFlight()));
            }
        }
        var total = lifeline.stream().mapToDouble(Result::rate).sum();
        out.append(String.format(Locale.ROOT, "%nLifeline, all bots together: %.2f messages/s of %.0f configured (%.1f%%)%n",
                total, RATE * BOTS, 100 * total / (RATE * BOTS)));
        return out.toString();
    }
}
