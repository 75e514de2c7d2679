package org.lifeline.telegram;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lifeline.channels.ChannelAdapter;
import org.lifeline.channels.ChannelHttp;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.channels.OutboundContent;
import org.lifeline.channels.WebhookJson;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Telegram: Bot API updates in, {@code sendMessage} out. */
@Component
class TelegramAdapter implements ChannelAdapter {

    static final String TYPE = "telegram";

    private final TelegramSettings settings;
    private final TelegramBotApi api;
    private final JsonMapper json;

    TelegramAdapter(TelegramSettings settings, TelegramBotApi api, JsonMapper json) {
        this.settings = settings;
        this.api = api;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> endpoints() {
        return settings.bots().stream().map(TelegramSettings.Bot::username).toList();
    }

    @Override
    public ChannelInput interpret(String endpoint, String payload) {
        return TelegramUpdates.interpret(WebhookJson.read(json, payload));
    }

    /**
     * Stops the spinner on the button the requester pressed, for a bot that polls: a webhook's bot had it stopped by
     * the answer to the delivery ({@link TelegramIntake.Delivery}), before the press was processed.
     */
    @Override
    public void acknowledge(String endpoint, String payload) {
        var bot = settings.bot(endpoint).filter(b -> b.mode() == TelegramSettings.Mode.POLLING).orElse(null);
        if (bot == null) {
            return;
        }
        var callbackId = TelegramUpdates.callbackQueryId(WebhookJson.read(json, payload));
        if (callbackId == null) {
            return;
        }
        try {
            api.call(bot, "answerCallbackQuery", api.write(Map.of("callback_query_id", callbackId)), Duration.ofSeconds(10));
        } catch (IOException e) {
            // the button spins a little longer; the choice itself was processed
        }
    }

    /** The Bot API refuses a longer text (counted after the HTML is read, so as written here) with 400. */
    @Override
    public int maxTextLength() {
        return 4096;
    }

    @Override
    public String render(String endpoint, String recipient, OutboundContent content) {
        var request = new LinkedHashMap<String, Object>();
        request.put("chat_id", Long.parseLong(recipient));
        request.put("text", escapeHtml(content.text()));
        request.put("parse_mode", "HTML");
        switch (content) {
            case OutboundContent.Choices choices -> {
                var rows = new ArrayList<List<Map<String, String>>>();
                for (var choice : choices.choices()) {
                    rows.add(List.of(Map.of("text", choice.label(), "callback_data", choice.id())));
                }
                request.put("reply_markup", Map.of("inline_keyboard", rows));
            }
            case OutboundContent.LocationRequest location -> request.put("reply_markup", Map.of(
                    "keyboard", List.of(List.of(Map.of("text", location.buttonLabel(), "request_location", true))),
                    "resize_keyboard", true,
                    "one_time_keyboard", true));
            case OutboundContent.Text text -> request.put("reply_markup", Map.of("remove_keyboard", true));
            case OutboundContent.Notice notice -> {
                request.put("disable_notification", true);
                request.put("reply_markup", Map.of("remove_keyboard", true));
            }
        }
        return api.write(request);
    }

    @Override
    public DeliveryResult deliver(String endpoint, String recipient, String rendered) {
        var bot = settings.bot(endpoint).orElse(null);
        if (bot == null) {
            return new DeliveryResult.Failed("unknown-bot", false);
        }
        try {
            var answer = api.call(bot, "sendMessage", rendered);
            if (answer.ok()) {
                return new DeliveryResult.Sent(answer.result().path("message_id").asString());
            }
            return switch (answer.status()) {
                case 429 -> new DeliveryResult.RetryLater(answer.retryAfter(), true, "429");
                case 403 -> new DeliveryResult.Failed("blocked", true);
                case 400 -> new DeliveryResult.Failed("bad-request", false);
                case 401, 404 -> new DeliveryResult.RetryLater(Duration.ofMinutes(1), true, "bot-unauthorized");
                default -> new DeliveryResult.RetryLater(null, false, "http-" + answer.status());
            };
        } catch (IOException e) {
            return ChannelHttp.notDelivered(e, "network");
        }
    }

    /** Bot API bots may download files up to 20 MB. */
    static final long MAX_FILE_BYTES = 20L * 1024 * 1024;

    /** {@code getFile}, then the download; Telegram's photos are JPEG. */
    @Override
    public Fetched fetch(String endpoint, String reference) throws IOException {
        var bot = settings.bot(endpoint).orElseThrow(() -> new IOException("bot no longer configured"));
        var answer = api.call(bot, "getFile", api.write(Map.of("file_id", reference)));
        if (!answer.ok() || !answer.result().path("file_path").isString()) {
            throw new IOException("getFile answered " + answer.status());
        }
        var path = answer.result().path("file_path").asString();
        var mediaType = path.endsWith(".png") ? "image/png" : path.endsWith(".mp4") ? "video/mp4" : "image/jpeg";
        return new Fetched(mediaType, api.download(bot, path, MAX_FILE_BYTES));
    }

    @Override
    public RateLimits limits(String endpoint) {
        return new RateLimits(settings.perChatPerSecond(), settings.perBotPerSecond());
    }

    /** Telegram's HTML mode needs exactly these four escaped; everything else is sent as it is. */
    static String escapeHtml(String text) {
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

}
