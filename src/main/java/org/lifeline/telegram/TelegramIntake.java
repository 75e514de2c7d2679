package org.lifeline.telegram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.lifeline.channels.ChannelIntake;
import org.lifeline.channels.WebhookJson;
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
    private final ChannelIntake intake;
    private final JsonMapper json;

    TelegramIntake(TelegramSettings settings, ChannelIntake intake, JsonMapper json) {
        this.settings = settings;
        this.intake = intake;
        this.json = json;
    }

    public enum Result { STORED, DUPLICATE, DROPPED, TOO_OLD, MALFORMED, TOO_LARGE }

    /**
     * What a webhook delivery came to, and what to answer it with besides the status: for a button's press that is
     * stored (or was already), the {@code answerCallbackQuery} that stops the button's spinner, as the JSON of a Bot
     * API request made in the webhook's answer (the Bot API's "making requests when getting updates"): Telegram
     * makes it as the delivery is acknowledged, so the requester's spinner stops as soon as his press is durable,
     * however long a backlog waits before it is processed, and Lifeline makes no call of its own for it. Null for
     * every other delivery, whose answer stays empty.
     */
    public record Delivery(Result result, String answer) {
    }

    /** Compared against when the bot is unknown; a secret of this length cannot be configured (16 to 256). */
    private static final byte[] NO_BOT_SECRET = new byte[257];

    /**
     * The bot a webhook delivery is for, if it is one we serve by webhook and the delivery carries its secret: the
     * secret header is compared in constant time, and a bot name we do not serve gets the same answer as a wrong
     * secret, after the same comparison, so that a scanner cannot learn which bots exist. Asked before the body is
     * read: a sender without the secret holds no request thread for as long as his body takes to arrive.
     */
    public java.util.Optional<TelegramSettings.Bot> authorised(String username, String secretHeader) {
        var bot = settings.bot(username).filter(b -> b.mode() == TelegramSettings.Mode.WEBHOOK).orElse(null);
        var expected = bot == null ? NO_BOT_SECRET : bot.webhookSecret().getBytes(StandardCharsets.UTF_8);
        var given = secretHeader == null ? new byte[0] : secretHeader.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected) || bot == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(bot);
    }

    /** A webhook delivery for a bot {@link #authorised} gave: nothing is read or stored before that check. */
    public Delivery webhook(TelegramSettings.Bot bot, byte[] body) {
        if (body == null || body.length > MAX_UPDATE_BYTES) {
            return new Delivery(body == null ? Result.MALFORMED : Result.TOO_LARGE, null);
        }
        JsonNode update;
        try {
            update = WebhookJson.read(json, body);
        } catch (JacksonException e) {
            return new Delivery(Result.MALFORMED, null);
        }
        var result = store(bot, update);
        // only a press that will be processed: not one dropped by the flood limit or refused as too old
        var callback = result == Result.STORED || result == Result.DUPLICATE
                ? TelegramUpdates.callbackQueryId(update) : null;
        if (callback == null) {
            return new Delivery(result, null);
        }
        var request = json.createObjectNode().put("method", "answerCallbackQuery").put("callback_query_id", callback);
        return new Delivery(result, json.writeValueAsString(request));
    }

    /** An update fetched by {@code getUpdates}. */
    Result polled(TelegramSettings.Bot bot, JsonNode update) {
        return store(bot, update);
    }

    private Result store(TelegramSettings.Bot bot, JsonNode update) {
        // Telegram's update ids are positive and fit in 64 bits; anything else is not from Telegram and would
        // never store, so it is refused (400) rather than answered 503 and redelivered for ever
        if (update == null || !update.isObject()) {
            return Result.MALFORMED;
        }
        var id = update.path("update_id");
        if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 0) {
            return Result.MALFORMED;
        }
        // older than its duplicate is remembered: it may have been taken before, and a replay must not count twice
        var sentAt = TelegramUpdates.sentAt(update);
        if (sentAt.isPresent() && intake.tooOld(sentAt.getAsLong())) {
            return Result.TOO_OLD;
        }
        var outcome = intake.accept(TelegramAdapter.TYPE, bot.username(), update.get("update_id").asString(),
                TelegramUpdates.senderOf(update), json.writeValueAsString(TelegramUpdates.essentials(update)),
                settings.inboundPerSenderPerMinute());
        return switch (outcome) {
            case STORED -> Result.STORED;
            case DUPLICATE -> Result.DUPLICATE;
            case DROPPED -> Result.DROPPED;
        };
    }
}
