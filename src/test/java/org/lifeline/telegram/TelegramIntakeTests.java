package org.lifeline.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lifeline.channels.ChannelIntake;
import tools.jackson.databind.json.JsonMapper;

/** What a webhook delivery hands over to be stored: the update as read, without the sender's names. */
class TelegramIntakeTests {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final TelegramSettings.Bot bot = new TelegramSettings.Bot("lifeline_intake_bot",
            "7000000201:AAintaketokenintaketokenintake", "intake-webhook-secret-0123", TelegramSettings.Mode.WEBHOOK);
    private static final TelegramSettings SETTINGS = new TelegramSettings(URI.create("https://api.telegram.org"),
            List.of(bot), 1, 28, 30, Duration.ofSeconds(25));

    /** Keeps what it is handed, as the durable intake would store it. */
    static final class Kept implements ChannelIntake {

        final List<String> payloads = new ArrayList<>();
        /** What the next accepted updates come to. */
        Outcome outcome = Outcome.STORED;

        @Override
        public Outcome accept(String channel, String endpoint, String idempotencyKey, String senderId, String payload,
                int perSenderPerMinute) {
            payloads.add(payload);
            return outcome;
        }

        @Override
        public boolean tooOld(long sentAtEpochSecond) {
            return false;
        }

        @Override
        public boolean idle(String channel, String endpoint, String senderId) {
            return true;
        }

        @Override
        public boolean awaitIdle(String channel, String endpoint, String senderId, Duration timeout) {
            return true;
        }

        @Override
        public java.util.List<org.lifeline.channels.OutboundContent> opening(String channel,
                org.lifeline.channels.ChannelInput.Start start) {
            return java.util.List.of();
        }

        @Override
        public void discardPending(String channel, String endpoint, String senderId) {
        }
    }

    @Test
    void storesTheUpdateWithoutTheSendersNamesAndReadsItTheSame() {
        var kept = new Kept();
        var intake = new TelegramIntake(SETTINGS, kept, json);

        for (var sample : TelegramUpdatesTests.SAMPLES) {
            assertThat(intake.webhook(bot, body(sample)).result()).as(sample).isEqualTo(TelegramIntake.Result.STORED);
        }

        assertThat(kept.payloads).hasSize(TelegramUpdatesTests.SAMPLES.length);
        for (int i = 0; i < kept.payloads.size(); i++) {
            var stored = kept.payloads.get(i);
            var sample = TelegramUpdatesTests.SAMPLES[i];
            assertThat(stored).as(sample).doesNotContain("first_name", "last_name", "username", "Иван", "ivan_p");
            assertThat(TelegramUpdates.interpret(json.readTree(stored))).as(sample)
                    .isEqualTo(TelegramUpdates.interpret(TelegramUpdatesTests.update(sample)));
        }
    }

    @Test
    void answersAStoredPressWithTheRequestThatStopsItsSpinnerAndEveryOtherDeliveryWithNothing() {
        var kept = new Kept();
        var intake = new TelegramIntake(SETTINGS, kept, json);

        for (var outcome : new ChannelIntake.Outcome[] {ChannelIntake.Outcome.STORED, ChannelIntake.Outcome.DUPLICATE}) {
            kept.outcome = outcome;
            var press = intake.webhook(bot, body("callback-query"));
            // a duplicate is a delivery whose answer Telegram may not have had: it is asked again
            assertThat(press.result().name()).isEqualTo(outcome.name());
            var request = json.readTree(press.answer());
            assertThat(request.path("method").asString()).as(outcome.name()).isEqualTo("answerCallbackQuery");
            assertThat(request.path("callback_query_id").asString()).isEqualTo("4382bfdwdsb323b2d9");
            assertThat(request.properties()).hasSize(2);
        }

        // a press dropped by the flood limit is never processed: its spinner is left to Telegram's own timeout
        kept.outcome = ChannelIntake.Outcome.DROPPED;
        assertThat(intake.webhook(bot, body("callback-query"))).isEqualTo(
                new TelegramIntake.Delivery(TelegramIntake.Result.DROPPED, null));

        kept.outcome = ChannelIntake.Outcome.STORED;
        for (var sample : TelegramUpdatesTests.SAMPLES) {
            if (!sample.equals("callback-query")) {
                assertThat(intake.webhook(bot, body(sample)).answer()).as(sample).isNull();
            }
        }
        // a press whose id is not Telegram's string asks for nothing
        var numeric = "{\"update_id\":10009,\"callback_query\":{\"id\":4382,\"from\":{\"id\":2222222},\"data\":\"x\"}}";
        assertThat(intake.webhook(bot, numeric.getBytes(java.nio.charset.StandardCharsets.UTF_8)).answer()).isNull();
        var longest = "{\"update_id\":10010,\"callback_query\":{\"id\":\"%s\",\"from\":{\"id\":2222222},\"data\":\"x\"}}";
        assertThat(intake.webhook(bot, longest.formatted("7".repeat(256)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .answer()).contains("7".repeat(256));
        assertThat(intake.webhook(bot, longest.formatted("7".repeat(257)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .answer()).isNull();
        assertThat(intake.webhook(bot, "{".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(new TelegramIntake.Delivery(TelegramIntake.Result.MALFORMED, null));
    }

    private static byte[] body(String sample) {
        try (var in = TelegramIntakeTests.class.getResourceAsStream("/telegram/updates/" + sample + ".json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
