package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An endpoint that sends one message a second (as an SMS number does) records each answer as it comes back: held for
 * the dispatcher's next claim, as a bot's are while it works through a backlog at 28 a second, an answer would wait
 * for the next message's slot, seconds here, and the recipient's next message and the console's "sent" with it.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "lifeline.telegram.per-bot-per-second=1")
class SlowEndpointOutcomesTests {

    static final String BOT = "lifeline_slow_outcomes_bot";

    @RegisterExtension
    static final FakeTelegramBotApi telegram = new FakeTelegramBotApi("7000000103:AAslowoutcomestokenslowoutcomes");

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.registerAtDefaultLimits(registry, BOT, "slow-outcomes-webhook-secret_01");
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Test
    void eachAnswerIsRecordedBeforeTheNextMessageGoes() {
        var base = 970_000_000L + System.nanoTime() % 1_000_000L * 100;
        var chats = LongStream.range(0, 3).map(c -> base + c).toArray();
        var firstId = jdbc.sql("select coalesce(max(id), 0) from outbox_message").query(Long.class).single();
        // held while they are queued, so that one round of the dispatcher claims and sends all three, a second apart
        jdbc.sql("update channel_endpoint set paused_until = ? where channel = 'telegram' and endpoint = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).plusHours(1), BOT).update();
        new OutboxLoad(context).queueTelegram(BOT, chats, "slow");
        jdbc.sql("update channel_endpoint set paused_until = null where channel = 'telegram' and endpoint = ?")
                .param(BOT).update();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.sql("select count(*) from outbox_message where endpoint = ? and id > ? and state = 'SENT'")
                        .params(BOT, firstId).query(Long.class).single() == chats.length);
        var arrivals = telegram.calls("sendMessage").stream()
                .filter(call -> call.body().path("chat_id").asLong() >= base && call.body().path("chat_id").asLong() < base + chats.length)
                .map(FakeTelegramBotApi.Call::at).sorted().toList();
        var recorded = jdbc.sql("select sent_at from outbox_message where endpoint = ? and id > ? order by sent_at")
                .params(BOT, firstId).query(OffsetDateTime.class).list();

        assertThat(arrivals).hasSize(chats.length);
        for (int i = 1; i < chats.length; i++) {
            assertThat(arrivals.get(i)).as("message %d a second after the one before, at the bot's rate", i + 1)
                    .isAfterOrEqualTo(arrivals.get(i - 1).plusMillis(900));
            assertThat(recorded.get(i - 1).toInstant()).as("answer %d recorded before the next message went", i)
                    .isBefore(arrivals.get(i));
        }
    }
}
