package org.lifeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.TelegramSettings;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Telegram channel under load, on whichever database the run uses: not a test (surefire skips it unless named,
 * see BENCHMARKS.md). The real application on a random port, the real flows, and a local fake of the Bot API that
 * enforces Telegram's sending limits (429 past one message a second to a chat or thirty a second per bot).
 * <ol>
 * <li>Warm-up: updates at a moderate rate, for the JIT, not reported.</li>
 * <li>Paced intake: updates at a fixed rate; acknowledgement latency measured from the moment each request was due,
 * so a slow answer is not hidden by the requests it delayed; then how long each took from stored to processed.</li>
 * <li>Outbound: the send rate the dispatcher achieves from the outbox the first phases filled (a few thousand
 * replies, as after a busy day), against the limits, with the fake answering at once and then as slowly as the real
 * Bot API across a network.</li>
 * <li>Saturated intake: clients post as fast as the server acknowledges (closed loop: the sustained rate, and
 * latency under it); then how fast the backlog drains once the webhook goes quiet.</li>
 * </ol>
 * Everything is bounded in time; all traffic goes to 127.0.0.1. Results go to stdout and to
 * {@code target/benchmarks/telegram-webhook-<database>.md}.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TelegramWebhookBenchmark {

    static final String BOT = "lifeline_bench_bot";
    static final String TOKEN = "7000000009:AAbenchtokenbenchtokenbenchtoken";
    static final String SECRET = "bench-webhook-secret_0123456789";

    static final int CLIENTS = Integer.getInteger("benchmark.clients", 12);
    static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("benchmark.warmup-seconds", 10));
    static final int WARM_UP_RATE = Integer.getInteger("benchmark.warmup-rate", 200);
    static final Duration PACED = Duration.ofSeconds(Integer.getInteger("benchmark.paced-seconds", 20));
    static final int PACED_RATE = Integer.getInteger("benchmark.paced-rate", 20);
    static final Duration SATURATED = Duration.ofSeconds(Integer.getInteger("benchmark.saturated-seconds", 30));
    static final Duration OUTBOUND = Duration.ofSeconds(Integer.getInteger("benchmark.outbound-seconds", 20));
    /** A Bot API call from a server in Europe: network there and back plus Telegram's own time. */
    static final Duration ROUND_TRIP = Duration.ofMillis(Integer.getInteger("benchmark.bot-api-round-trip-ms", 100));
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

    @RegisterExtension
    static final FakeTelegramBotApi telegram = new FakeTelegramBotApi(TOKEN);

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.registerAtDefaultLimits(registry, BOT, SECRET);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;

    @Autowired
    TelegramSettings settings;

    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void drivesTheWebhookAndReports() throws Exception {
        var runStarted = Instant.now();
        intake("warm-up", WARM_UP, WARM_UP_RATE, 1);
        awaitInboundDrained();
        refreshStatistics();

        var paced = intake("paced at " + PACED_RATE + "/s", PACED, PACED_RATE, 2);
        awaitInboundDrained();
        var pacedProcessing = processingDelays(paced.from(), paced.to());

        // from the outbox the warm-up and paced phases filled: a few thousand replies, as after a busy day
        var outbound = outbound(runStarted);

        var handledBefore = handled();
        var saturated = intake("as fast as acknowledged", SATURATED, 0, 3);
        var drainFrom = Instant.now();
        var pendingAtEnd = pending();
        refreshStatistics();
        var drainedAt = awaitInboundDrained();
        var handledDuring = handled() - handledBefore;
        var processing = new Processing(handledDuring,
                seconds(saturated.from(), drainedAt), pendingAtEnd, seconds(drainFrom, drainedAt), pending() == 0,
                pacedProcessing);

        var report = report(List.of(paced, saturated), processing, outbound);
        System.out.println(report);
        var file = Path.of("target", "benchmarks", "telegram-webhook-" + database() + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);

        // not a timed check: numbers from a run that lost requests or broke a limit mean nothing
        assertThat(paced.failures()).as("paced requests not answered 200").isEmpty();
        assertThat(saturated.failures()).as("requests not answered 200").isEmpty();
    }

    // ---- intake

    record Intake(String name, int clients, Instant from, Instant to, long acknowledged, Map<String, Long> failures,
            Histogram latency) {

        double perSecond() {
            return acknowledged / seconds(from, to);
        }
    }

    /** Posts updates from {@link #CLIENTS} clients for the duration; paced at {@code rate} a second, or unpaced if 0. */
    Intake intake(String name, Duration duration, int rate, long seed) throws InterruptedException {
        var failures = new ConcurrentHashMap<String, LongAdder>();
        var histograms = new ArrayList<Histogram>();
        var acknowledged = new LongAdder();
        var from = Instant.now();
        var start = System.nanoTime();
        var deadline = start + duration.toNanos();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < CLIENTS; k++) {
                var histogram = new Histogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
                histograms.add(histogram);
                var client = k;
                var traffic = new TelegramTraffic(json, seed * 1000 + k);
                clients.submit(() -> {
                    for (long i = 0; ; i++) {
                        long due = rate > 0 ? start + (long) ((i * CLIENTS + client) * 1e9 / rate) : System.nanoTime();
                        if (due >= deadline) {
                            return null;
                        }
                        var wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(Duration.ofNanos(wait));
                        }
                        var outcome = post(traffic.next());
                        histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), (System.nanoTime() - due) / 1000));
                        if (outcome.equals("200")) {
                            acknowledged.increment();
                        } else {
                            failures.computeIfAbsent(outcome, o -> new LongAdder()).increment();
                        }
                    }
                });
            }
        }
        var to = Instant.now();
        var latency = new Histogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
        histograms.forEach(latency::add);
        var failed = new TreeMap<String, Long>();
        failures.forEach((outcome, count) -> failed.put(outcome, count.sum()));
        return new Intake(name, CLIENTS, from, to, acknowledged.sum(), failed, latency);
    }

    private String post(String update) {
        try {
            return Integer.toString(http.send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, update),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    // ---- processing

    record Processing(long handled, double seconds, long backlog, double drainSeconds, boolean drained,
            Histogram pacedDelay) {
    }

    /**
     * What autovacuum does on a production PostgreSQL after this many inserts. The test server runs with autovacuum
     * off, and there the plans cached while the tables were empty stay in use: inbound processing fell to a few
     * updates a second once the backlog was in the tens of thousands.
     */
    private void refreshStatistics() {
        if (DatabaseAvailability.onPostgres()) {
            jdbc.sql("analyze inbound_update").update();
            jdbc.sql("analyze outbox_message").update();
        }
    }

    private long pending() {
        // on H2 an update may still wait in the intake journal
        return new org.lifeline.testing.StoredUpdates(jdbc, environment).count("state = 'PENDING'");
    }

    private long inbound(String state) {
        return jdbc.sql("select count(*) from inbound_update where state = ?").param(state).query(Long.class).single();
    }

    /** Updates taken off the queue, processed or set aside as failed (flood drops never enter it). */
    private long handled() {
        return jdbc.sql("select count(*) from inbound_update where state in ('PROCESSED', 'FAILED')").query(Long.class).single();
    }

    private Instant awaitInboundDrained() throws InterruptedException {
        var until = Instant.now().plus(DRAIN_LIMIT);
        while (pending() > 0 && Instant.now().isBefore(until)) {
            Thread.sleep(50); // polling the queue's size, the condition itself, every 50 ms
        }
        return Instant.now();
    }

    /** From stored (acknowledged) to processed (conversation recorded, answer in the outbox), per update. */
    private Histogram processingDelays(Instant from, Instant to) {
        var histogram = new Histogram(DRAIN_LIMIT.toNanos() / 1000, 3);
        jdbc.sql("select received_at, processed_at from inbound_update where state = 'PROCESSED' and received_at >= ? and received_at < ?")
                .params(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)))
                .list()
                .forEach(delay -> histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), delay.toNanos() / 1000)));
        return histogram;
    }

    // ---- outbound

    record Window(Duration roundTrip, double seconds, long sent, long tooMany, long backlogBefore, long backlogAfter) {
    }

    record Outbound(List<Window> windows, int busiestSecond, Duration closestToOneChat, long chats, long tooManyForChat,
            long tooManyForBot, long sentInRun) {
    }

    /**
     * Lets the dispatcher work off the outbox with no intake, first with the fake answering at once, then as if
     * across a network; reads what the fake Bot API saw.
     */
    private Outbound outbound(Instant runStarted) throws InterruptedException {
        var windows = List.of(window(Duration.ZERO, OUTBOUND), window(ROUND_TRIP, OUTBOUND));
        var calls = telegram.calls("sendMessage").stream().filter(c -> !c.at().isBefore(runStarted)).toList();
        var sent = calls.stream().filter(c -> c.status() == 200).toList();
        return new Outbound(windows, busiestSecond(sent.stream().map(FakeTelegramBotApi.Call::at).toList()),
                closestToOneChat(sent), sent.stream().map(c -> c.body().path("chat_id").asLong()).distinct().count(),
                tooMany(calls, true), tooMany(calls, false), sent.size());
    }

    private Window window(Duration roundTrip, Duration length) throws InterruptedException {
        telegram.roundTrip(roundTrip);
        var backlogBefore = outboxPending();
        var from = Instant.now();
        Thread.sleep(length); // the measurement window itself
        var to = Instant.now();
        var backlogAfter = outboxPending();
        telegram.roundTrip(Duration.ZERO);
        var inWindow = telegram.calls("sendMessage").stream().filter(c -> !c.at().isBefore(from) && c.at().isBefore(to)).toList();
        return new Window(roundTrip, seconds(from, to), inWindow.stream().filter(c -> c.status() == 200).count(),
                inWindow.stream().filter(c -> c.status() == 429).count(), backlogBefore, backlogAfter);
    }

    /** 429s the fake gave because the chat ({@code forChat}) or else the bot as a whole was over its limit. */
    static long tooMany(List<FakeTelegramBotApi.Call> calls, boolean forChat) {
        var lastAccepted = new HashMap<Long, Instant>();
        var count = 0L;
        for (var call : calls) {
            var chat = call.body().path("chat_id").asLong();
            if (call.status() == 200) {
                lastAccepted.put(chat, call.at());
            } else if (call.status() == 429) {
                var last = lastAccepted.get(chat);
                var chatWasBusy = last != null && Duration.between(last, call.at()).compareTo(Duration.ofSeconds(1)) < 0;
                count += chatWasBusy == forChat ? 1 : 0;
            }
        }
        return count;
    }

    private long outbox() {
        return jdbc.sql("select count(*) from outbox_message").query(Long.class).single();
    }

    private long outboxPending() {
        return jdbc.sql("select count(*) from outbox_message where state = 'PENDING'").query(Long.class).single();
    }

    /** The most messages accepted within any one-second window. */
    static int busiestSecond(List<Instant> times) {
        var most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (Duration.between(times.get(first), times.get(last)).toMillis() >= 1000) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** The shortest time between two messages accepted for the same chat. */
    static Duration closestToOneChat(List<FakeTelegramBotApi.Call> sent) {
        var last = new HashMap<Long, Instant>();
        var closest = (Duration) null;
        for (var call : sent) {
            var chat = call.body().path("chat_id").asLong();
            var previous = last.put(chat, call.at());
            if (previous != null) {
                var gap = Duration.between(previous, call.at());
                closest = closest == null || gap.compareTo(closest) < 0 ? gap : closest;
            }
        }
        return closest;
    }

    // ---- report

    private String report(List<Intake> intakes, Processing processing, Outbound outbound) {
        var out = new StringBuilder();
        out.append("### Telegram webhook on ").append(database()).append(" — ")
                .append(DateTimeFormatter.ISO_LOCAL_DATE.format(OffsetDateTime.now())).append("\n\n");
        out.append(machine()).append("\n\n");
        out.append("| intake | clients | seconds | acknowledged | updates/s | ack p50 | p95 | p99 | max | not 200 |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (var intake : intakes) {
            var l = intake.latency();
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %.1f | %s | %s | %s | %s | %s |%n",
                    intake.name(), intake.clients(), seconds(intake.from(), intake.to()), intake.acknowledged(),
                    intake.perSecond(), ms(l.getValueAtPercentile(50)), ms(l.getValueAtPercentile(95)),
                    ms(l.getValueAtPercentile(99)), ms(l.getMaxValue()),
                    intake.failures().isEmpty() ? "none" : intake.failures().toString()));
        }
        var delay = processing.pacedDelay();
        out.append("\n| inbound processing | |\n|---|--:|\n");
        out.append(String.format(Locale.ROOT, "| stored → processed, paced phase, p50 / p99 / max | %s / %s / %s |%n",
                ms(delay.getValueAtPercentile(50)), ms(delay.getValueAtPercentile(99)), ms(delay.getMaxValue())));
        out.append(String.format(Locale.ROOT, "| processed from the saturation run's start until drained | %d updates in %.1f s = %.1f updates/s |%n",
                processing.handled(), processing.seconds(), processing.handled() / processing.seconds()));
        out.append(String.format(Locale.ROOT, "| backlog when the webhook went quiet, time to drain | %d updates, %.1f s%s |%n",
                processing.backlog(), processing.drainSeconds(), processing.drained() ? "" : " (NOT drained: gave up)"));
        out.append(String.format(Locale.ROOT, "| updates stored as flood drops (chatty chats over the per-sender limit) | %d |%n",
                inbound("DROPPED")));
        out.append(String.format(Locale.ROOT, "| updates failed | %d |%n", inbound("FAILED")));
        out.append(String.format(Locale.ROOT, "| replies queued per processed update | %.2f |%n",
                (double) outbox() / Math.max(1, inbound("PROCESSED"))));

        out.append(String.format(Locale.ROOT, "%n| outbound: Lifeline sends at most %s/s per bot, %s/s per chat; the fake refuses over 30/s, 1/s | |%n|---|--:|%n",
                number(settings.perBotPerSecond()), number(settings.perChatPerSecond())));
        for (var window : outbound.windows()) {
            out.append(String.format(Locale.ROOT, "| sent from a full outbox, no intake, Bot API answering in %d ms | %d in %.1f s = %.1f messages/s |%n",
                    window.roundTrip().toMillis(), window.sent(), window.seconds(), window.sent() / window.seconds()));
            out.append(String.format(Locale.ROOT, "| … outbox backlog before / after; 429s | %d / %d; %d |%n",
                    window.backlogBefore(), window.backlogAfter(), window.tooMany()));
        }
        out.append(String.format(Locale.ROOT, "| all sends so far: 429 for a chat over 1/s, for the bot over 30/s | %d, %d |%n",
                outbound.tooManyForChat(), outbound.tooManyForBot()));
        out.append(String.format(Locale.ROOT, "| all sends so far: sent, busiest one-second window | %d, %d messages |%n",
                outbound.sentInRun(), outbound.busiestSecond()));
        out.append(String.format(Locale.ROOT, "| all sends so far: closest two messages to one chat (%d chats) | %s |%n",
                outbound.chats(), outbound.closestToOneChat() == null ? "-" : outbound.closestToOneChat().toMillis() + " ms"));
        return out.toString();
    }

    private String database() {
        return DatabaseAvailability.onPostgres() ? "postgres" : "h2";
    }

    private String machine() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var product = jdbc.sql("select 1").query((rs, n) -> {
            var meta = rs.getStatement().getConnection().getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        }).single();
        return String.format(Locale.ROOT, "%d cores, %.1f GiB memory, %s %s, %s %s; %s; fake Bot API limits enforced",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), product);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

}
