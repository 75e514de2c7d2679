package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.operators.Role;
import org.lifeline.testing.ManualClockConfiguration;
import org.lifeline.testing.MockMvcSessionCookies;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Bot API that takes 10 seconds a call, and a pool of three database connections. While replies are being sent,
 * pressed buttons acknowledged and a polling bot long-polls, all against that slow API, webhooks are still stored
 * and acknowledged and the console still answers: nothing holds a transaction or a pooled connection while it
 * waits on Telegram. (Before, the dispatcher held one through every send, the inbound workers one through every
 * acknowledgement, the poller one through every long poll: the pool was gone, and so were webhooks and the console.)
 * The bound asserted is generous (3 s against tens of milliseconds); the slow calls take 10 s.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.hikari.maximum-pool-size=3", "spring.datasource.hikari.minimum-idle=3"})
@AutoConfigureMockMvc
@Import({ManualClockConfiguration.class, MockMvcSessionCookies.class})
class SlowBotApiIntegrationTests extends ConsoleFixture {

    static final String BOT = "lifeline_slow_bot";
    static final String POLL_BOT = "lifeline_slow_poll_bot";
    static final String TOKEN = "7000000055:AAslowtokenslowtokenslowtoken";
    static final String SECRET = "slow-webhook-secret_0123456789";
    static final Duration SLOW = Duration.ofSeconds(10);
    /** Generous against the tens of milliseconds they take; a request waiting for a held connection waits seconds. */
    static final Duration RESPONSIVE = Duration.ofSeconds(3);
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
        registry.add("lifeline.telegram.bots[1].username", () -> POLL_BOT);
        registry.add("lifeline.telegram.bots[1].token", () -> TOKEN);
        registry.add("lifeline.telegram.bots[1].mode", () -> "polling");
        registry.add("lifeline.telegram.per-chat-per-second", () -> "50");
        registry.add("lifeline.telegram.per-bot-per-second", () -> "50");
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void webhooksAndTheConsoleStayResponsiveWhileEveryBotApiCallTakesTenSeconds() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        telegram.enforceLimits(false);
        telegram.roundTrip(SLOW);

        // work that calls the slow API for a while: buttons pressed in eight chats of the polling bot (a webhook's
        // bot has its presses' spinners stopped by the delivery's answer) keep acknowledgements waiting on it, and
        // the replies keep the dispatcher sending
        for (int i = 0; i < 8; i++) {
            var chat = new PrivateChatUpdates(800_000_000L + System.nanoTime() % 100_000_000L, "Ivan", "ru");
            telegram.queueUpdate(chat.press("information"));
        }
        // the fake records a call halfway through it: from here the API holds sends and acknowledgements
        assertThat(telegram.awaitCalls(calls -> calls.stream().anyMatch(c -> c.method().equals("sendMessage"))
                && calls.stream().filter(c -> c.method().equals("answerCallbackQuery")).count() >= 2, Duration.ofSeconds(60))).isTrue();

        for (int i = 0; i < 5; i++) {
            var chat = new PrivateChatUpdates(900_000_000L + System.nanoTime() % 100_000_000L, "Ivan", "ru");
            var started = System.nanoTime();
            var answer = post(chat.text("/start").toString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("webhook acknowledged").isLessThan(RESPONSIVE);

            started = System.nanoTime();
            mvc.perform(get("/console").session(session)).andExpect(status().isOk());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("console queue shown").isLessThan(RESPONSIVE);
        }
        telegram.roundTrip(Duration.ZERO);
    }

    @Test
    void pressedButtonsDoNotHoldTheWorkersWhileTheirAcknowledgementsWaitOnTheSlowApi(
            @org.springframework.beans.factory.annotation.Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc)
            throws Exception {
        telegram.enforceLimits(false);
        telegram.roundTrip(SLOW);
        try {
            // as many presses as there are inbound workers, to the polling bot (whose presses Lifeline acknowledges
            // with a call of its own): each acknowledgement waits 10 s on the API
            for (int i = 0; i < 2; i++) {
                var chat = new PrivateChatUpdates(810_000_000L + System.nanoTime() % 100_000_000L, "Ivan", "ru");
                telegram.queueUpdate(chat.press("information"));
            }
            assertThat(telegram.awaitCalls(calls -> calls.stream()
                    .filter(c -> c.method().equals("answerCallbackQuery")).count() >= 2, Duration.ofSeconds(60))).isTrue();

            // someone else's message is processed meanwhile, not after the acknowledgements' 10 s
            var next = new PrivateChatUpdates(910_000_000L + System.nanoTime() % 100_000_000L, "Ivan", "ru")
                    .text("/start");
            assertThat(post(next.toString()).statusCode()).isEqualTo(200);
            var started = System.nanoTime();
            org.awaitility.Awaitility.await().atMost(SLOW).until(() -> "PROCESSED".equals(jdbc.sql(
                    "select state from inbound_update where endpoint = ? and idempotency_key = ?")
                    .params(BOT, next.path("update_id").asString()).query(String.class).optional().orElse(null)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("processed").isLessThan(RESPONSIVE);
        } finally {
            telegram.roundTrip(Duration.ZERO);
        }
    }

    private HttpResponse<Void> post(String update) throws Exception {
        return http.send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, update), HttpResponse.BodyHandlers.discarding());
    }
}
