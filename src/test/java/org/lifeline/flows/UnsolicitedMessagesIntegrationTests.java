package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Reminders and expiry notices are messages the requester did not ask for: a phone that buzzes unasked can give
 * him away. By default none is sent, and the session still expires ({@link SilentRemindersIntegrationTests}: when
 * configured, they go out silently).
 */
@PersistenceTest
@Tag("integration")
@Import(ManualClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnsolicitedMessagesIntegrationTests extends QuietSoldier {

    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick("7000000003:AAunsolicitedunsolicitedunsolicit");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        telegram.register(registry, "lifeline_quiet_bot", SECRET);
    }

    @Override
    String bot() {
        return "lifeline_quiet_bot";
    }

    @Override
    FakeTelegramBotApi telegram() {
        return telegram;
    }

    @Test
    void sendsNoReminderAndNoExpiryNoticeButStillExpires() throws Exception {
        var conversation = startAndGoQuiet();
        var before = outbound(conversation);

        clock.advance(Duration.ofHours(3));
        assertThat(tick(conversation)).as("the reminder, dropped").isZero();
        assertThat(status(conversation)).isEqualTo("ACTIVE");
        clock.advance(Duration.ofHours(24));
        assertThat(tick(conversation)).as("the expiry notice, dropped").isZero();

        // gateway.send records every outbound message in the ticking transaction: none was recorded
        assertThat(outbound(conversation)).isEqualTo(before);
        assertThat(status(conversation)).as("expired: nothing waits any more").isNotEqualTo("ACTIVE");
    }
}
