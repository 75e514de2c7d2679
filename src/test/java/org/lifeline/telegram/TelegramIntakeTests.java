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

    /** Keeps what it is handed, as the durable intake would store it. */
    static final class Kept implements ChannelIntake {

        final List<String> payloads = new ArrayList<>();

        @Override
        public Outcome accept(String channel, String endpoint, String idempotencyKey, String senderId, String payload,
                int perSenderPerMinute) {
            payloads.add(payload);
            return Outcome.STORED;
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
        var bot = new TelegramSettings.Bot("lifeline_intake_bot", "7000000201:AAintaketokenintaketokenintake",
                "intake-webhook-secret-0123", TelegramSettings.Mode.WEBHOOK);
        var settings = new TelegramSettings(URI.create("https://api.telegram.org"), List.of(bot), 1, 28, 30,
                Duration.ofSeconds(25));
        var kept = new Kept();
        var intake = new TelegramIntake(settings, kept, json);

        for (var sample : TelegramUpdatesTests.SAMPLES) {
            assertThat(intake.webhook(bot, body(sample))).as(sample).isEqualTo(TelegramIntake.Result.STORED);
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

    private static byte[] body(String sample) {
        try (var in = TelegramIntakeTests.class.getResourceAsStream("/telegram/updates/" + sample + ".json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
