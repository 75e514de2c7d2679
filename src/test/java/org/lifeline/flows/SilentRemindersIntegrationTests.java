package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.testing.ManualClockConfiguration;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code lifeline.flows.unsolicited-messages=silent}, a reminder goes out without notification sound. */
@PersistenceTest
@Tag("integration")
@Import(ManualClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lifeline.flows.unsolicited-messages=silent")
class SilentRemindersIntegrationTests extends QuietSoldier {

    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick("7000000004:AAsilentsilentsilentsilentsilents");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        telegram.register(registry, "lifeline_silent_bot", SECRET);
    }

    @Override
    String bot() {
        return "lifeline_silent_bot";
    }

    @Override
    FakeTelegramBotApi telegram() {
        return telegram;
    }

    @Test
    void sendsTheReminderWithoutNotification() throws Exception {
        var conversation = startAndGoQuiet();
        assertThat(replies().getFirst().body().has("disable_notification")).as("answers are not silenced").isFalse();

        clock.advance(Duration.ofHours(3));
        assertThat(tick(conversation)).as("the reminder").isEqualTo(1);
        // The outbox reads "due" against the clock, which stands still unless moved: move it a second at a time, as
        // real time would. (A reminder that follows the answer within a real second is told 429 by the fake, as by
        // Telegram, and waits its Retry-After on this clock.)
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (replies().size() >= 2) {
                return true;
            }
            clock.advance(Duration.ofSeconds(1));
            return false;
        });
        var reminder = replies().get(1).body();
        assertThat(reminder.path("text").asString()).isEqualTo("Вы ещё здесь? Ответьте, когда будет безопасно.");
        assertThat(reminder.path("disable_notification").asBoolean()).isTrue();
        assertThat(outbound(conversation)).isEqualTo(2);
    }
}
