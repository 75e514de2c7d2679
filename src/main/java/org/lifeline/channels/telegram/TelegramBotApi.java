package org.lifeline.channels.telegram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
    private final JsonMapper json;
    private final HttpClient http;

    TelegramBotApi(TelegramSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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

    /** Calls a method with a JSON body. Network failures are thrown as IOException, never with the URL. */
    Answer call(TelegramSettings.Bot bot, String method, String body, Duration timeout) throws IOException {
        var request = HttpRequest.newBuilder(uri(bot, "bot", method))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException("Bot API unreachable: " + e.getClass().getSimpleName());
        }
    }

    Answer call(TelegramSettings.Bot bot, String method, String body) throws IOException {
        return call(bot, method, body, Duration.ofSeconds(30));
    }

    /** Downloads a file by its {@code file_path} from {@code getFile}. */
    byte[] download(TelegramSettings.Bot bot, String filePath, long maxBytes) throws IOException {
        var request = HttpRequest.newBuilder(uri(bot, "file/bot", filePath)).timeout(Duration.ofSeconds(60)).GET().build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("file download answered " + response.statusCode());
                }
                var bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) {
                    throw new IOException("file larger than " + maxBytes + " bytes");
                }
                return bytes;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    String write(Object value) {
        return json.writeValueAsString(value);
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private URI uri(TelegramSettings.Bot bot, String prefix, String path) {
        var base = settings.apiUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/" + prefix + bot.token() + "/" + path);
    }
}
