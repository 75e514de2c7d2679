package org.lifeline.telephony;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import org.lifeline.testing.RecordingServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for {@code https://api.twilio.com} and for Twilio's side of the webhooks. The Messages API
 * ({@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}) checks basic authentication and the documented
 * parameters (To, From, Body of at most 1600 characters) and answers 201 with a message resource, or a documented
 * error ({@code {"code", "message", "more_info", "status"}}); failures can be scripted. The Calls API
 * ({@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json}) checks To (E.164 or a SIP address), From, Url, and the
 * optional Method, StatusCallback, StatusCallbackMethod and Timeout, and answers 201 with a call resource
 * ({@code CA…}, status {@code queued}). Webhook requests are made as
 * Twilio makes them: form-encoded with its documented parameters, signed with {@code X-Twilio-Signature} computed
 * here independently of Lifeline (HMAC-SHA1 of the URL and the sorted parameters, base64).
 */
public final class FakeTwilio extends RecordingServer<FakeTwilio.Call> {

    public static final String ACCOUNT_SID = "AC" + "0123456789abcdef0123456789abcdef";
    public static final String AUTH_TOKEN = "auth-token-0123456789abcdef";
    /** Where the provider believes the server is: a proxy's address, never the test server's own. */
    public static final String PUBLIC_URL = "https://hotline.example.org";

    public record Call(String method, String path, Map<String, String> form, int status, String sid, Instant at) {
    }

    private static final class Scripted {
        final String to;
        final int status;
        final int code;
        final String retryAfter;
        /** Messages to this recipient that still go through before this failure. */
        int skip;

        Scripted(String to, int status, int code, String retryAfter, int skip) {
            this.to = to;
            this.status = status;
            this.code = code;
            this.retryAfter = retryAfter;
            this.skip = skip;
        }
    }

    private final Deque<Scripted> script = new ArrayDeque<>();
    private final Map<String, byte[]> recordings = new java.util.HashMap<>();
    private final Map<String, String> nextSids = new java.util.HashMap<>();
    private final java.util.Set<String> undeletable = new java.util.HashSet<>();

    private FakeTwilio() {
    }

    public static FakeTwilio start() {
        return new FakeTwilio();
    }

    /** Points Lifeline at this fake with these numbers (E.164) and their default languages. */
    public void register(DynamicPropertyRegistry registry, Map<String, String> numbers) {
        registry.add("lifeline.telephony.api-url", () -> url().toString());
        registry.add("lifeline.telephony.account-sid", () -> ACCOUNT_SID);
        registry.add("lifeline.telephony.auth-token", () -> AUTH_TOKEN);
        registry.add("lifeline.telephony.public-url", () -> PUBLIC_URL);
        var i = 0;
        for (var number : numbers.entrySet()) {
            var n = i++;
            registry.add("lifeline.telephony.numbers[" + n + "].number", number::getKey);
            registry.add("lifeline.telephony.numbers[" + n + "].language", number::getValue);
        }
        registry.add("lifeline.telephony.per-recipient-per-second", () -> "20");
        registry.add("lifeline.telephony.per-number-per-second", () -> "50");
    }

    /** A fresh phone number in E.164 (a Russian mobile), unique per test. */
    public static String newNumber() {
        return "+79" + String.format("%09d", ThreadLocalRandom.current().nextLong(1_000_000_000L));
    }

    /** {@code SM} and 32 hexadecimal digits, like every message SID. */
    public static String newSid(String prefix) {
        var bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /** {@code X-Twilio-Signature} as Twilio documents it: base64(HMAC-SHA1(token, url + sorted name+value pairs)). */
    public static String signature(String authToken, String url, Map<String, String> parameters) {
        var data = new StringBuilder(url);
        new TreeMap<>(parameters).forEach((name, value) -> data.append(name).append(value));
        try {
            var mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parameters Twilio sends for an incoming SMS (https://www.twilio.com/docs/messaging/guides/webhook-request). */
    public static Map<String, String> incomingSms(String sid, String from, String to, String body) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("ToCountry", "US");
        parameters.put("ToState", "CA");
        parameters.put("SmsMessageSid", sid);
        parameters.put("NumMedia", "0");
        parameters.put("ToCity", "");
        parameters.put("FromZip", "");
        parameters.put("SmsSid", sid);
        parameters.put("FromState", "");
        parameters.put("SmsStatus", "received");
        parameters.put("FromCity", "");
        parameters.put("Body", body);
        parameters.put("FromCountry", "RU");
        parameters.put("To", to);
        parameters.put("ToZip", "");
        parameters.put("NumSegments", "1");
        parameters.put("MessageSid", sid);
        parameters.put("AccountSid", ACCOUNT_SID);
        parameters.put("From", from);
        parameters.put("ApiVersion", "2010-04-01");
        return parameters;
    }

    /**
     * A webhook request to Lifeline at {@code port}, as Twilio sends it to {@code PUBLIC_URL + pathAndQuery}: signed
     * with {@code authToken} (unsigned if null).
     */
    public static HttpRequest webhook(int port, String pathAndQuery, Map<String, String> parameters, String authToken) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("I-Twilio-Idempotency-Token", newSid("id"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(form(parameters)));
        if (authToken != null) {
            request.header("X-Twilio-Signature", signature(authToken, PUBLIC_URL + pathAndQuery, parameters));
        }
        return request.build();
    }

    public static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The next message to this recipient fails with this HTTP status and error code (and Retry-After, if given). */
    public void failNext(String to, int status, int code, String retryAfter) {
        lock.lock();
        try {
            script.add(new Scripted(to, status, code, retryAfter, 0));
        } finally {
            lock.unlock();
        }
    }

    /** The next message accepted for this recipient gets this SID (to report on it before it is sent). */
    public void nextSid(String to, String sid) {
        lock.lock();
        try {
            nextSids.put(to, sid);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The parameters of a message's status callback (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status):
     * {@code ErrorCode} only for {@code failed} and {@code undelivered}.
     */
    public static Map<String, String> smsStatus(String sid, String from, String to, String status, String errorCode) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("AccountSid", ACCOUNT_SID);
        parameters.put("ApiVersion", "2010-04-01");
        parameters.put("From", from);
        parameters.put("MessageSid", sid);
        parameters.put("MessageStatus", status);
        parameters.put("SmsSid", sid);
        parameters.put("SmsStatus", status);
        parameters.put("To", to);
        if (errorCode != null) {
            parameters.put("ErrorCode", errorCode);
        }
        return parameters;
    }

    /** The message after the next {@code skip} ones to this recipient fails with this HTTP status and error code. */
    public void failAfter(String to, int skip, int status, int code) {
        lock.lock();
        try {
            script.add(new Scripted(to, status, code, null, skip));
        } finally {
            lock.unlock();
        }
    }

    /** Messages the API accepted for this recipient, in order. */
    public List<Call> sentTo(String number) {
        return calls().stream().filter(c -> c.status() == 201 && number.equals(c.form().get("To"))).toList();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getPath();
            var expected = "Basic " + Base64.getEncoder().encodeToString(
                    (ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                record(exchange.getRequestMethod(), path, Map.of(), 401, null);
                respond(exchange, 401, error(20003, "Authenticate", 401), null);
                return;
            }
            if (exchange.getRequestMethod().equals("POST")
                    && path.equals("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json")) {
                message(exchange, path, parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                return;
            }
            if (exchange.getRequestMethod().equals("POST")
                    && path.equals("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json")) {
                outboundCall(exchange, path, parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                return;
            }
            var recordingPrefix = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/";
            if (path.startsWith(recordingPrefix)) {
                recording(exchange, path, path.substring(recordingPrefix.length()));
                return;
            }
            record(exchange.getRequestMethod(), path, Map.of(), 404, null);
            respond(exchange, 404, error(20404, "The requested resource was not found", 404), null);
        }
    }

    private void message(HttpExchange exchange, String path, Map<String, String> form) throws IOException {
        Scripted scripted;
        String sid = null;
        int status;
        ObjectNode answer;
        lock.lock();
        try {
            scripted = script.stream().filter(f -> f.to.equals(form.get("To"))).findFirst().orElse(null);
            if (scripted != null && scripted.skip > 0) {
                scripted.skip--;
                scripted = null;
            } else {
                script.remove(scripted);
            }
            var to = form.getOrDefault("To", "");
            var body = form.getOrDefault("Body", "");
            if (scripted != null) {
                status = scripted.status;
                answer = error(scripted.code, "scripted failure", scripted.status);
            } else if (!to.matches("\\+[1-9][0-9]{6,14}")) {
                status = 400;
                answer = error(21211, "The 'To' number is not a valid phone number.", 400);
            } else if (form.get("From") == null || form.get("From").isEmpty()) {
                status = 400;
                answer = error(21603, "The 'From' phone number is required.", 400);
            } else if (body.isEmpty()) {
                status = 400;
                answer = error(21602, "Message body is required.", 400);
            } else if (body.length() > 1600) {
                status = 400;
                answer = error(21617, "The concatenated message body exceeds the 1600 character limit.", 400);
            } else if (form.containsKey("StatusCallback") && !absolute(form.get("StatusCallback"))) {
                status = 400;
                answer = error(21609, "Invalid StatusCallback", 400);
            } else {
                status = 201;
                sid = nextSids.containsKey(to) ? nextSids.remove(to) : newSid("SM");
                answer = json.createObjectNode().put("account_sid", ACCOUNT_SID).put("api_version", "2010-04-01")
                        .put("body", body).put("direction", "outbound-api").put("from", form.get("From"))
                        .put("num_segments", "1").put("sid", sid).put("status", "queued").put("to", to)
                        .put("uri", path.replace(".json", "/" + sid + ".json"));
            }
        } finally {
            lock.unlock();
        }
        record("POST", path, form, status, sid);
        respond(exchange, status, answer, scripted == null ? null : scripted.retryAfter);
    }

    /**
     * {@code POST …/Calls.json} as documented (https://www.twilio.com/docs/voice/api/call-resource): 21201 without
     * To, 21213 without From, 21205 without an absolute Url (nor Twiml) or StatusCallback, 21211 for a To that is
     * neither a number nor a SIP address; Timeout 5 to 600 s, methods GET or POST.
     */
    private void outboundCall(HttpExchange exchange, String path, Map<String, String> form) throws IOException {
        try {
            // a Calls API that does not answer: held until released, or for 30 s at most
            callsAnswered.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        var to = form.getOrDefault("To", "");
        var from = form.getOrDefault("From", "");
        int status = 400;
        ObjectNode answer;
        String sid = null;
        if (to.isEmpty()) {
            answer = error(21201, "No 'To' number is specified", 400);
        } else if (from.isEmpty()) {
            answer = error(21213, "No 'From' number is specified", 400);
        } else if (!absolute(form.get("Url")) && form.get("Twiml") == null) {
            answer = error(21205, "Url is not a valid URL", 400);
        } else if (!to.matches("\\+[1-9][0-9]{6,14}|sips?:.+@.+")) {
            answer = error(21211, "Invalid 'To' Phone Number", 400);
        } else if (form.containsKey("StatusCallback") && !absolute(form.get("StatusCallback"))) {
            answer = error(21205, "StatusCallback is not a valid URL", 400);
        } else if (form.containsKey("Method") && !form.get("Method").matches("GET|POST")
                || form.containsKey("StatusCallbackMethod") && !form.get("StatusCallbackMethod").matches("GET|POST")
                || form.containsKey("Timeout") && !(form.get("Timeout").matches("[0-9]{1,3}")
                        && Integer.parseInt(form.get("Timeout")) >= 5 && Integer.parseInt(form.get("Timeout")) <= 600)) {
            answer = error(20001, "Invalid parameter", 400);
        } else {
            status = 201;
            sid = newSid("CA");
            answer = json.createObjectNode().put("account_sid", ACCOUNT_SID).put("api_version", "2010-04-01")
                    .put("direction", "outbound-api").put("from", from).put("to", to).put("sid", sid)
                    .put("status", "queued").put("uri", path.replace(".json", "/" + sid + ".json"));
        }
        record("POST", path, form, status, sid);
        respond(exchange, status, answer, null);
    }

    private static boolean absolute(String url) {
        try {
            return url != null && URI.create(url).isAbsolute() && URI.create(url).getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private volatile java.util.concurrent.CountDownLatch callsAnswered = new java.util.concurrent.CountDownLatch(0);

    /** From now on the Calls API answers nobody until {@link #answerCalls()}: a provider that is slow or away. */
    public void holdCalls() {
        callsAnswered = new java.util.concurrent.CountDownLatch(1);
    }

    /** The Calls API answers again, the calls held first. */
    public void answerCalls() {
        callsAnswered.countDown();
    }

    /** Calls the Calls API placed, in order. */
    public List<Call> placedCalls() {
        return calls().stream().filter(c -> c.status() == 201 && c.path().endsWith("/Calls.json")).toList();
    }

    /** The parameters Twilio adds to a request for an {@code <Enqueue>} waitUrl. */
    public static Map<String, String> queueWait(int position, int queueTime, int size) {
        return Map.of("QueueSid", "QU" + "0123456789abcdef0123456789abcdef", "QueuePosition", String.valueOf(position),
                "QueueTime", String.valueOf(queueTime), "AvgQueueTime", "30", "CurrentQueueSize", String.valueOf(size),
                "MaxQueueSize", "1000");
    }

    /** The parameters Twilio adds to an {@code <Enqueue>} action request when the caller leaves the queue. */
    public static Map<String, String> queueResult(String result, int queueTime) {
        return Map.of("QueueSid", "QU" + "0123456789abcdef0123456789abcdef", "QueueResult", result,
                "QueueTime", String.valueOf(queueTime));
    }

    /** The parameters Twilio adds to a {@code <Queue url>} request, made on the dequeued caller's call. */
    public static Map<String, String> dequeued(int queueTime, String dequeuingCallSid) {
        return Map.of("QueueSid", "QU" + "0123456789abcdef0123456789abcdef", "QueueTime", String.valueOf(queueTime),
                "DequeingCallSid", dequeuingCallSid);
    }

    /** A call recording the provider holds, as {@code RE…}: its MP3 audio. */
    public void addRecording(String recordingSid, byte[] mp3) {
        lock.lock();
        try {
            recordings.put(recordingSid, mp3);
        } finally {
            lock.unlock();
        }
    }

    /** Every request to delete this recording fails with 500 (an outage at the provider that does not end). */
    public void refuseDeleting(String recordingSid) {
        lock.lock();
        try {
            undeletable.add(recordingSid);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the provider still holds this recording. */
    public boolean holdsRecording(String recordingSid) {
        lock.lock();
        try {
            return recordings.containsKey(recordingSid);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code GET …/Recordings/{Sid}.mp3} (the audio, {@code audio/mpeg}) and {@code DELETE …/Recordings/{Sid}.json}
     * (204, then 404 like any missing resource).
     */
    private void recording(HttpExchange exchange, String path, String file) throws IOException {
        var method = exchange.getRequestMethod();
        var sid = file.replaceAll("\\.(mp3|wav|json)$", "");
        byte[] audio;
        boolean refused;
        lock.lock();
        try {
            refused = method.equals("DELETE") && undeletable.contains(sid);
            audio = method.equals("DELETE") && file.endsWith(".json") && !refused ? recordings.remove(sid) : recordings.get(sid);
        } finally {
            lock.unlock();
        }
        if (refused) {
            record(method, path, Map.of(), 500, sid);
            respond(exchange, 500, error(20500, "Internal Server Error", 500), null);
            return;
        }
        if (audio == null) {
            record(method, path, Map.of(), 404, sid);
            respond(exchange, 404, error(20404, "The requested resource was not found", 404), null);
            return;
        }
        if (method.equals("DELETE") && file.endsWith(".json")) {
            record(method, path, Map.of(), 204, sid);
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        if (method.equals("GET") && file.endsWith(".mp3")) {
            record(method, path, Map.of(), 200, sid);
            exchange.getResponseHeaders().add("Content-Type", "audio/mpeg");
            exchange.sendResponseHeaders(200, audio.length);
            exchange.getResponseBody().write(audio);
            return;
        }
        record(method, path, Map.of(), 405, sid);
        respond(exchange, 405, error(20004, "Method not allowed", 405), null);
    }

    /** The parameters Twilio sends to a voice webhook for a call from {@code from} to {@code to}, plus {@code more}. */
    public static Map<String, String> call(String callSid, String from, String to, Map<String, String> more) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("AccountSid", ACCOUNT_SID);
        parameters.put("ApiVersion", "2010-04-01");
        parameters.put("CallSid", callSid);
        parameters.put("CallStatus", "in-progress");
        parameters.put("Called", to);
        parameters.put("Caller", from);
        parameters.put("Direction", "inbound");
        parameters.put("From", from);
        parameters.put("FromCountry", "RU");
        parameters.put("To", to);
        parameters.put("ToCountry", "US");
        parameters.putAll(more);
        return parameters;
    }

    private static Map<String, String> parse(String form) {
        var parameters = new LinkedHashMap<String, String>();
        for (var pair : form.split("&")) {
            var equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private void record(String method, String path, Map<String, String> form, int status, String sid) {
        record(new Call(method, path, form, status, sid, Instant.now()));
    }

    private ObjectNode error(int code, String message, int status) {
        return json.createObjectNode().put("code", code).put("message", message)
                .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
    }

    private void respond(HttpExchange exchange, int status, ObjectNode body, String retryAfter) throws IOException {
        var bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
