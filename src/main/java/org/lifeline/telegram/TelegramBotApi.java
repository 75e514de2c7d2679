package org.lifeline.telegram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import org.lifeline.channels.ChannelHttp;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to the Bot API: JSON over HTTPS as documented, with Jackson. The token is part of every URL, so URLs are
 * never logged and errors never carry them.
 */
@Component
class TelegramBotApi {

    private final TelegramSettings settings;
    private final ChannelHttp http;

    TelegramBotApi(TelegramSettings settings, JsonMapper json) {
        this.settings = settings;
        this.http = new ChannelHttp("Bot API", json);
    }

    /** The outcome of one call: the HTTP status and Telegram's envelope ({@code ok}, {@code result}, …). */
    record Answer(int status, JsonNode body) {

        boolean ok() {
            return status == 200 && body != null && body.path("ok").asBoolean(false);
        }

        JsonNode result() {
            return body == null ? null : body.get("result");
        }

        /** {@code parameters.retry_after} of a 429, in seconds. */
        Duration retryAfter() {
            var seconds = body == null ? 0 : body.path("parameters").path("retry_after").asLong(0);
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        }
    }

    /**
     * Calls a method with a JSON body. Network failures are thrown as IOException, never with the URL: as
     * {@link ChannelHttp.NotSent} when no connection was made, otherwise the request may have arrived.
     */
    Answer call(TelegramSettings.Bot bot, String method, String body, Duration timeout) throws IOException {
        var request = HttpRequest.newBuilder(uri(bot, "bot", method))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        var answer = http.exchange(request);
        return new Answer(answer.status(), answer.body());
    }

    Answer call(TelegramSettings.Bot bot, String method, String body) throws IOException {
        return call(bot, method, body, Duration.ofSeconds(30));
    }

    /** Downloads a file by its {@code file_path} from {@code getFile}. */
    byte[] download(TelegramSettings.Bot bot, String filePath, long maxBytes) throws IOException {
        return http.download(HttpRequest.newBuilder(uri(bot, "file/bot", filePath)).timeout(Duration.ofSeconds(60))
                .GET().build(), maxBytes);
    }

    String write(Object value) {
        return http.write(value);
    }

    private URI uri(TelegramSettings.Bot bot, String prefix, String path) {
        var base = settings.apiUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/" + prefix + bot.token() + "/" + path);
    }
}
