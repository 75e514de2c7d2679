package org.lifeline.telegram;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.springframework.stereotype.Component;

/** Registers the webhook of every bot in webhook mode with Telegram ({@code setWebhook}). */
@Component
public class TelegramWebhooks {

    private final TelegramSettings settings;
    private final TelegramBotApi api;

    TelegramWebhooks(TelegramSettings settings, TelegramBotApi api) {
        this.settings = settings;
        this.api = api;
    }

    /** Returns one line per bot saying what Telegram answered. */
    public List<String> register(URI publicBaseUrl) throws IOException {
        if (!"https".equals(publicBaseUrl.getScheme())) {
            throw new IllegalArgumentException("Telegram sends webhooks only to https:// URLs");
        }
        var lines = new ArrayList<String>();
        for (var bot : settings.bots()) {
            if (bot.mode() != TelegramSettings.Mode.WEBHOOK) {
                lines.add(bot.username() + ": polling mode, no webhook");
                continue;
            }
            var request = new LinkedHashMap<String, Object>();
            request.put("url", publicBaseUrl.toString().replaceAll("/+$", "") + "/webhooks/telegram/" + bot.username());
            request.put("secret_token", bot.webhookSecret());
            request.put("allowed_updates", TelegramPoller.ALLOWED_UPDATES);
            var answer = api.call(bot, "setWebhook", api.write(request));
            lines.add(bot.username() + ": " + (answer.ok() ? "webhook set"
                    : "refused (" + answer.status() + " " + (answer.body() == null ? "" : answer.body().path("description").asString("")) + ")"));
        }
        return lines;
    }
}
