package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.LifelineProcess;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kill -9 in the middle of the work, on the database this run uses (embedded H2, or PostgreSQL in the
 * {@code postgres} run). The real application runs as a process of its own, with the real flows, behind a local
 * fake of the Bot API that records every call. Chats each send {@code /start} and then press a menu button.
 * <ol>
 * <li>A burst of webhook posts; SIGKILL at a random moment while posts are still coming in, with earlier updates
 * being processed and replies being sent (the fake answers slowly enough that sending always lags).</li>
 * <li>Restart. Telegram delivers again whatever it saw no 200 for, and some updates it did (a lost answer); SIGKILL
 * at a random moment while the backlog is being processed and sent.</li>
 * <li>Restart; everything drains; SIGTERM.</li>
 * </ol>
 * Then: every update stored once and processed exactly once (each conversation holds its two inbound messages and
 * the same number of replies as every other), no reply delivered twice, and none lost silently: every reply is sent
 * or, if a kill caught it in flight, failed as "uncertain" on its conversation (at most as many per kill as calls
 * may be in flight to the bot at once).
 */
@Tag("integration")
@ExtendWith(DatabaseAvailability.class)
class CrashSafetyIntegrationTests {

    static final String BOT = "lifeline_crash_bot";
    static final String TOKEN = "7000000077:AAcrashtokencrashtokencrashtoken";
    static final String SECRET = "crash-webhook-secret_0123456789";
    static final int CHATS = 60;
    static final int KILLS = 2;
    /** Calls to the bot in flight at once: 100 a second over a 40 ms round trip needs 4. */
    static final int IN_FLIGHT = 4;
    /** Settling takes uncertain-after (3 s) plus the sweep interval (3 s) plus a send, on a busy machine. */
    static final Duration QUIET = Duration.ofSeconds(12);

    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    final HttpClient http = HttpClient.newHttpClient();
    final Map<Long, Boolean> acknowledged = new ConcurrentHashMap<>();

    @Test
    void everyAcknowledgedUpdateIsProcessedOnceAndNoReplyGoesTwiceAcrossKills(@TempDir Path data) throws Exception {
        telegram.enforceLimits(false);
        // slow enough that sending lags behind processing, so a kill finds messages in flight
        telegram.roundTrip(Duration.ofMillis(40));
        var updates = updates();
        var arguments = arguments(data);
        var random = ThreadLocalRandom.current();

        // 1. a burst, killed while it still comes in
        try (var first = LifelineProcess.start(data.resolve("server-1.log"), arguments)) {
            var killAfter = random.nextInt(updates.size() / 5, updates.size() * 2 / 3);
            post(first, updates, killAfter, first);
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(killAfter);
            assertThat(acknowledged).as("killed during intake").hasSizeLessThan(updates.size());
        }

        // 2. Telegram delivers again; killed while the backlog is processed and sent
        var sentBefore = telegram.calls("sendMessage").size();
        try (var second = LifelineProcess.start(data.resolve("server-2.log"), arguments)) {
            var redelivered = new ArrayList<>(updates.stream().filter(u -> !acknowledged.containsKey(id(u))).toList());
            redelivered.addAll(updates.subList(0, 5));
            post(second, redelivered, redelivered.size(), null);
            assertThat(telegram.awaitCalls(calls -> calls.stream().filter(c -> c.method().equals("sendMessage")).count()
                    > sentBefore + random.nextInt(1, 20), Duration.ofMinutes(2))).as(second.logTail()).isTrue();
            second.kill();
        }
        assertThat(acknowledged).as("every update acknowledged once delivered again").hasSize(updates.size());

        // 3. everything drains
        try (var third = LifelineProcess.start(data.resolve("server-3.log"), arguments)) {
            var drained = telegram.awaitCalls(calls -> delivered(calls).size() >= CHATS * 2 - KILLS * IN_FLIGHT, Duration.ofMinutes(3));
            assertThat(drained).as(third.logTail()).isTrue();
            awaitSettled(data, third);
            third.stop();
        }

        try (var db = connect(data)) {
            assertExactlyOnce(db);
        }
    }

    private void assertExactlyOnce(Connection db) throws Exception {
        var inbound = rows(db, "select state, count(*) from inbound_update where endpoint = '" + BOT + "' group by state");
        assertThat(inbound).as("every update stored once, all processed").isEqualTo(Map.of("PROCESSED", (long) CHATS * 2));

        var inboundPerConversation = rows(db, """
                select cast(conversation_id as varchar), count(*) from message where direction = 'INBOUND' group by conversation_id""");
        assertThat(inboundPerConversation).hasSize(CHATS);
        assertThat(Set.copyOf(inboundPerConversation.values())).as("each update recorded once").containsExactly(2L);

        var repliesPerConversation = rows(db, """
                select cast(conversation_id as varchar), count(*) from message where direction = 'OUTBOUND' group by conversation_id""");
        assertThat(repliesPerConversation).hasSize(CHATS);
        assertThat(Set.copyOf(repliesPerConversation.values())).as("each update answered once").hasSize(1);
        var replies = repliesPerConversation.values().stream().mapToLong(Long::longValue).sum();

        var outbox = rows(db, "select coalesce(last_error, state), count(*) from outbox_message where endpoint = '" + BOT
                + "' and state <> 'SENT' group by coalesce(last_error, state)");
        var uncertain = outbox.getOrDefault("uncertain", 0L);
        assertThat(outbox.keySet()).as("nothing left pending or in flight, nothing failed but uncertain")
                .isSubsetOf(Set.of("uncertain"));
        assertThat(uncertain).isLessThanOrEqualTo(KILLS * IN_FLIGHT);
        var sent = rows(db, "select state, count(*) from outbox_message where endpoint = '" + BOT + "' group by state")
                .getOrDefault("SENT", 0L);
        assertThat(sent + uncertain).as("every reply sent or marked uncertain").isEqualTo(replies);
        var uncertainOnConversations = rows(db, """
                select delivery_detail, count(*) from message where direction = 'OUTBOUND' and delivery_state = 'FAILED'
                group by delivery_detail""");
        assertThat(uncertainOnConversations).isEqualTo(uncertain == 0 ? Map.of() : Map.of("uncertain", uncertain));

        var delivered = delivered(telegram.calls("sendMessage"));
        var distinct = new HashSet<String>();
        for (var call : delivered) {
            assertThat(distinct.add(call.body().path("chat_id").asString() + "\n" + call.body().path("text").asString()))
                    .as("a reply delivered twice to chat " + call.body().path("chat_id").asString()).isTrue();
        }
        assertThat((long) delivered.size()).as("delivered: all sent, and perhaps the uncertain ones")
                .isBetween(sent, sent + uncertain);
    }

    /** Waits until nothing is pending or in flight any more (the uncertain ones settled). */
    private void awaitSettled(Path data, LifelineProcess server) throws Exception {
        if (DatabaseAvailability.onPostgres()) {
            try (var db = connect(data)) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() ->
                        rows(db, "select 'open', count(*) from outbox_message where state in ('PENDING', 'SENDING')").get("open")
                                + rows(db, "select 'open', count(*) from inbound_update where state = 'PENDING'").get("open") == 0);
            }
            return;
        }
        // H2 is open in the server process: settled once no reply has gone out for longer than settling an
        // uncertain message and sending what waited behind it takes
        var until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < until) {
            var seen = telegram.calls("sendMessage").size();
            if (!telegram.awaitCalls(calls -> calls.stream().filter(c -> c.method().equals("sendMessage")).count() > seen,
                    QUIET)) {
                return;
            }
        }
        throw new AssertionError("replies still going out after 2 minutes:\n" + server.logTail());
    }

    private static List<FakeTelegramBotApi.Call> delivered(List<FakeTelegramBotApi.Call> calls) {
        return calls.stream().filter(c -> c.method().equals("sendMessage") && c.status() == 200).toList();
    }

    /**
     * Posts the updates from 6 clients, each chat's in order; with a server to kill, kills it once {@code killAfter}
     * were acknowledged, while the others are still being posted.
     */
    private void post(LifelineProcess server, List<ObjectNode> updates, int killAfter, LifelineProcess toKill) throws Exception {
        var count = new AtomicInteger();
        var byChat = new HashMap<Long, List<ObjectNode>>();
        for (var update : updates) {
            byChat.computeIfAbsent(chat(update), c -> new ArrayList<>()).add(update);
        }
        var chats = new ArrayList<>(byChat.values());
        var killed = new java.util.concurrent.CountDownLatch(1);
        try (var clients = Executors.newFixedThreadPool(6)) {
            var next = new AtomicInteger();
            for (int client = 0; client < 6; client++) {
                clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < chats.size(); i = next.getAndIncrement()) {
                        for (var update : chats.get(i)) {
                            try {
                                var answer = http.send(FakeTelegramBotApi.webhookDelivery(server.port(), BOT, SECRET, update.toString()),
                                        HttpResponse.BodyHandlers.discarding());
                                if (answer.statusCode() == 200) {
                                    acknowledged.put(id(update), true);
                                    if (count.incrementAndGet() >= killAfter) {
                                        killed.countDown();
                                    }
                                }
                            } catch (java.io.IOException | InterruptedException e) {
                                // the server died under this post: no acknowledgement, Telegram will deliver it again
                                return null;
                            }
                        }
                    }
                    return null;
                });
            }
            if (toKill != null) {
                killed.await();
                toKill.kill();
            }
        }
    }

    private static List<ObjectNode> updates() {
        var updates = new ArrayList<ObjectNode>();
        var base = 600_000_000L + ThreadLocalRandom.current().nextLong(100_000_000L);
        for (int i = 0; i < CHATS; i++) {
            var chat = new PrivateChatUpdates(base + i, "Ivan", "ru");
            updates.add(chat.text("/start"));
            updates.add(chat.press("information"));
        }
        return updates;
    }

    private static long id(ObjectNode update) {
        return update.get("update_id").asLong();
    }

    private static long chat(ObjectNode update) {
        var message = update.has("message") ? update.get("message") : update.get("callback_query").get("message");
        return message.get("chat").get("id").asLong();
    }

    private static Map<String, Long> rows(Connection db, String sql) throws Exception {
        var result = new HashMap<String, Long>();
        try (var statement = db.createStatement(); var rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getLong(2));
            }
        }
        return result;
    }

    private List<String> arguments(Path data) {
        var arguments = new ArrayList<>(List.of(
                "--lifeline.data-dir=" + data,
                "--lifeline.telegram.api-url=" + telegram.url(),
                "--lifeline.telegram.bots[0].username=" + BOT,
                "--lifeline.telegram.bots[0].token=" + TOKEN,
                "--lifeline.telegram.bots[0].webhook-secret=" + SECRET,
                "--lifeline.telegram.per-chat-per-second=50",
                "--lifeline.telegram.per-bot-per-second=100",
                // a message a killed node left in flight is settled soon (the fake answers within a second)
                "--lifeline.channels.uncertain-after=3s",
                // on PostgreSQL the restarted node waits out the killed one's lease (on H2 it takes it at once)
                "--lifeline.channels.send-lease=15s",
                "--lifeline.channels.in-flight-per-endpoint=" + IN_FLIGHT,
                "--spring.datasource.hikari.maximum-pool-size=5"));
        if (DatabaseAvailability.onPostgres()) {
            arguments.addAll(List.of(
                    "--spring.profiles.active=postgres",
                    "--spring.datasource.url=" + postgresUrl(),
                    "--spring.datasource.username=" + System.getProperty("spring.datasource.username"),
                    "--spring.flyway.schemas=" + schema()));
        }
        return arguments;
    }

    /** A schema of this test's own (a fresh database for the process), named after the run's. */
    private static String schema() {
        return System.getProperty("spring.flyway.schemas") + "_crash";
    }

    private static String postgresUrl() {
        return System.getProperty("spring.datasource.url").replaceAll("currentSchema=[^&]*", "currentSchema=" + schema());
    }

    private static Connection connect(Path data) throws Exception {
        if (DatabaseAvailability.onPostgres()) {
            return DriverManager.getConnection(postgresUrl(), System.getProperty("spring.datasource.username"), "");
        }
        return DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db").resolve("lifeline")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "");
    }
}
