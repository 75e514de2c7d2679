package org.lifeline.telephony;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to the provider's REST API (version 2010-04-01) as Twilio documents them: form-encoded requests, HTTP basic
 * authentication with the account SID and auth token, JSON answers; an error is {@code {"code": …, "message": …,
 * "status": …}}. Errors never carry a URL or a body, which may name the recipient.
 */
@Component
class TwilioApi {

    private final TelephonySettings settings;
    private final JsonMapper json;
    private final HttpClient http;

    TwilioApi(TelephonySettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The outcome of one call: HTTP status, the JSON body (or null), and a 429's {@code Retry-After}. */
    record Answer(int status, JsonNode body, Duration retryAfter) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** The provider's error code ({@code 20429}, {@code 21610}, …), or 0. */
        int errorCode() {
            return body == null ? 0 : body.path("code").asInt(0);
        }
    }

    /**
     * {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}: one SMS (of one or more segments); its delivery
     * is reported to {@code /webhooks/sms/status}.
     */
    Answer sendMessage(String from, String to, String body) throws IOException {
        var form = Map.of("From", from, "To", to, "Body", body,
                "StatusCallback", settings.publicUrl(SmsStatuses.PATH));
        var request = HttpRequest.newBuilder(account("/Messages.json"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", basic())
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        return exchange(request);
    }

    /**
     * {@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json}: calls an operator (never a caller) from the hotline's
     * number; when he picks up, the provider fetches {@code url} for what to do, and reports the call's end to
     * {@code statusCallback}. It rings for at most {@code timeout}.
     */
    Answer call(String from, String to, String url, String statusCallback, Duration timeout) throws IOException {
        var form = Map.of("From", from, "To", to, "Url", url, "Method", "POST", "StatusCallback", statusCallback,
                "StatusCallbackMethod", "POST", "Timeout", String.valueOf(timeout.toSeconds()));
        var request = HttpRequest.newBuilder(account("/Calls.json"))
                // the caller waits on hold meanwhile: a slow provider must not hold the webhook's answer long
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", basic())
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        return exchange(request);
    }

    /** Call recordings are short (the voicemail's maximum length); anything larger is refused. */
    static final long MAX_RECORDING_BYTES = 32L * 1024 * 1024;

    /**
     * {@code GET /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.mp3}: the recording's audio.
     *
     * @throws IOException when it is not (yet) there or cannot be had now
     */
    byte[] recording(String recordingSid) throws IOException {
        checkRecordingSid(recordingSid);
        var request = HttpRequest.newBuilder(account("/Recordings/" + recordingSid + ".mp3"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", basic())
                .GET().build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("recording download answered " + response.statusCode());
                }
                var bytes = in.readNBytes((int) MAX_RECORDING_BYTES + 1);
                if (bytes.length > MAX_RECORDING_BYTES) {
                    throw new IOException("recording larger than " + MAX_RECORDING_BYTES + " bytes");
                }
                return bytes;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException("recording download failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * {@code DELETE /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.json}: the provider's copy goes.
     * Gone already (404) counts as done.
     *
     * @throws IOException when it could not be deleted now
     */
    void deleteRecording(String recordingSid) throws IOException {
        checkRecordingSid(recordingSid);
        var request = HttpRequest.newBuilder(account("/Recordings/" + recordingSid + ".json"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", basic())
                .DELETE().build();
        var answer = exchange(request);
        if (!answer.ok() && answer.status() != 404) {
            throw new IOException("recording deletion answered " + answer.status());
        }
    }

    private static void checkRecordingSid(String recordingSid) throws IOException {
        if (recordingSid == null || !recordingSid.matches("RE[0-9a-fA-F]{32}")) {
            throw new IOException("not a recording SID");
        }
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (settings.accountSid() + ":" + settings.authToken()).getBytes(StandardCharsets.UTF_8));
    }

    private URI account(String path) {
        var base = settings.apiUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/2010-04-01/Accounts/" + settings.accountSid() + path);
    }

    private Answer exchange(HttpRequest request) throws IOException {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            var retryAfter = response.headers().firstValue("Retry-After")
                    .filter(v -> v.matches("[0-9]{1,5}")).map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
            return new Answer(response.statusCode(), parse(response.body()), retryAfter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            throw new NotSent("provider unreachable: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            throw new IOException("provider call failed: " + e.getClass().getSimpleName());
        }
    }

    /** No connection was made: the request certainly never reached the provider, so sending again repeats nothing. */
    static final class NotSent extends IOException {
        NotSent(String message) {
            super(message);
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
