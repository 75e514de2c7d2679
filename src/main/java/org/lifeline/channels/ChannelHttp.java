package org.lifeline.channels;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP to a channel's API as every adapter needs it: JSON answers read leniently, and failures that never carry the
 * URL (it may hold a token) or a body (it may name the recipient), thrown as {@link NotSent} when the request
 * certainly never left. {@link #notDelivered} turns a failed send into its delivery result (decision 1:
 * docs/decisions/0001-outbound-in-flight.md).
 */
public final class ChannelHttp {

    /** An answer: the HTTP status and the body as JSON (null when empty or not JSON). */
    public record Answer(int status, JsonNode body) {
    }

    /** No connection was made: the request never reached the channel, so sending it again cannot repeat it. */
    public static final class NotSent extends IOException {
        NotSent(String message) {
            super(message);
        }
    }

    private final String api;
    private final JsonMapper json;
    private final HttpClient http;

    /** @param api the API's name for failure messages, such as {@code Bot API} */
    public ChannelHttp(String api, JsonMapper json) {
        this.api = api;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Sends the request and reads the answer; a network failure is thrown without the URL. */
    public Answer exchange(HttpRequest request) throws IOException {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new NotSent(api + " unreachable: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            throw new IOException(api + " call failed: " + e.getClass().getSimpleName());
        }
    }

    /** Downloads a file the channel holds, refusing one larger than {@code maxBytes}; failures without the URL. */
    public byte[] download(HttpRequest request, long maxBytes) throws IOException {
        int status;
        byte[] bytes;
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (var in = response.body()) {
                bytes = status == 200 ? in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)) : null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException(api + " download failed: " + e.getClass().getSimpleName());
        }
        if (bytes == null) {
            throw new IOException(api + " download answered " + status);
        }
        if (bytes.length > maxBytes) {
            throw new IOException(api + " download larger than " + maxBytes + " bytes");
        }
        return bytes;
    }

    public String write(Object value) {
        return json.writeValueAsString(value);
    }

    /**
     * What a send that threw comes to: retried later (as {@code networkCode}) when it never left, otherwise
     * uncertain, since these APIs take no idempotency key and a request that may have arrived is not sent again.
     */
    public static DeliveryResult notDelivered(IOException failure, String networkCode) {
        return failure instanceof NotSent ? new DeliveryResult.RetryLater(null, false, networkCode)
                : new DeliveryResult.Uncertain("uncertain");
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
