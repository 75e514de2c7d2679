package org.lifeline.whatsapp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import org.lifeline.channels.ChannelHttp;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to the Graph API as the Cloud API documents them: JSON with the access token as a bearer token. Errors
 * never carry a URL or a body, which may name the recipient.
 */
@Component
class WhatsAppGraphApi {

    /** Media the Cloud API takes: at most 16 MB (audio, video), 5 MB (images). */
    static final long MAX_MEDIA_BYTES = 16L * 1024 * 1024;

    private final WhatsAppSettings settings;
    private final ChannelHttp http;

    WhatsAppGraphApi(WhatsAppSettings settings, JsonMapper json) {
        this.settings = settings;
        this.http = new ChannelHttp("Graph API", json);
    }

    /**
     * The outcome of one call: HTTP status and body. A failure has the documented
     * {@code {"error": {"code": …, "message": …}}}.
     */
    record Answer(int status, JsonNode body) {

        boolean ok() {
            return status / 100 == 2 && body != null && !body.has("error");
        }

        /** The Graph API's error code ({@code 130429}, {@code 131047}, …), or 0. */
        int errorCode() {
            return body == null ? 0 : body.path("error").path("code").asInt(0);
        }
    }

    /** {@code POST /{version}/{phone-number-id}/messages}. */
    Answer sendMessage(String phoneNumberId, String requestJson) throws IOException {
        var request = HttpRequest.newBuilder(uri(phoneNumberId + "/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + settings.accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestJson))
                .build();
        return exchange(request);
    }

    /** {@code GET /{version}/{media-id}}: the media's short-lived download URL and type. */
    Answer media(String mediaId) throws IOException {
        if (!mediaId.matches("[0-9A-Za-z_-]{1,128}")) {
            throw new IOException("not a media id");
        }
        var request = HttpRequest.newBuilder(uri(mediaId))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + settings.accessToken())
                .GET().build();
        return exchange(request);
    }

    /** Downloads from the URL {@link #media} gave, with the bearer token as Meta requires. */
    byte[] download(URI url) throws IOException {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IOException("media URL is not HTTP");
        }
        var request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + settings.accessToken())
                .GET().build();
        return http.download(request, MAX_MEDIA_BYTES);
    }

    String write(Object value) {
        return http.write(value);
    }

    private Answer exchange(HttpRequest request) throws IOException {
        var answer = http.exchange(request);
        return new Answer(answer.status(), answer.body());
    }

    private URI uri(String path) {
        var base = settings.graphUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/" + settings.apiVersion() + "/" + path);
    }
}
