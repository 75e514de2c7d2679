package org.lifeline.channels.telegram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.lifeline.channels.internal.Intake;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Takes updates from the webhook and the poller alike: checks, stores durably, answers. */
@Component
public class TelegramIntake {

    /** Updates are small; anything larger is not from Telegram. */
    public static final int MAX_UPDATE_BYTES = 1 << 20;

    private final TelegramSettings settings;
    private final Intake intake;
    private final JsonMapper json;

    TelegramIntake(TelegramSettings settings, Intake intake, JsonMapper json) {
        this.settings = settings;
        this.intake = intake;
        this.json = json;
    }

    public enum Result { STORED, DUPLICATE, DROPPED, UNKNOWN_BOT, WRONG_SECRET, MALFORMED, TOO_LARGE }

    /** A webhook delivery: the secret header is compared in constant time before anything is read or stored. */
    public Result webhook(String username, String secretHeader, byte[] body) {
        var bot = settings.bot(username).filter(b -> b.mode() == TelegramSettings.Mode.WEBHOOK).orElse(null);
        if (bot == null) {
            return Result.UNKNOWN_BOT;
        }
        if (secretHeader == null || !MessageDigest.isEqual(
                secretHeader.getBytes(StandardCharsets.UTF_8), bot.webhookSecret().getBytes(StandardCharsets.UTF_8))) {
            return Result.WRONG_SECRET;
        }
        if (body == null || body.length > MAX_UPDATE_BYTES) {
            return body == null ? Result.MALFORMED : Result.TOO_LARGE;
        }
        JsonNode update;
        try {
            update = json.readTree(body);
        } catch (JacksonException e) {
            return Result.MALFORMED;
        }
        return store(bot, update);
    }

    /** An update fetched by {@code getUpdates}. */
    Result polled(TelegramSettings.Bot bot, JsonNode update) {
        return store(bot, update);
    }

    private Result store(TelegramSettings.Bot bot, JsonNode update) {
        if (update == null || !update.isObject() || !update.path("update_id").isIntegralNumber()) {
            return Result.MALFORMED;
        }
        var outcome = intake.accept(TelegramAdapter.TYPE, bot.username(), update.get("update_id").asString(),
                TelegramUpdates.senderOf(update), json.writeValueAsString(update), settings.inboundPerSenderPerMinute());
        return switch (outcome) {
            case STORED -> Result.STORED;
            case DUPLICATE -> Result.DUPLICATE;
            case DROPPED -> Result.DROPPED;
        };
    }
}
