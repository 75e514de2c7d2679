package org.lifeline.telegram;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import org.lifeline.testing.RecordingServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for {@code https://api.telegram.org} that answers like the real Bot API: the {@code ok}
 * envelope, 401 for an unknown token, 400 for a bad request, 429 with {@code parameters.retry_after} when a chat
 * gets more than one message a second or a bot more than thirty, and whatever failures a test scripts
 * (429, 403, 5xx). It records every call (unless made with {@link #keepingNoCalls}), and serves {@code getUpdates}
 * long polls from a queue. A test class registers it with {@code @RegisterExtension}, which stops it after the class.
 */
public final class FakeTelegramBotApi extends RecordingServer<FakeTelegramBotApi.Call> {

    public record Call(String token, String method, JsonNode body, Instant at, int status) {
    }

    private final String token;
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final Deque<JsonNode> pendingUpdates = new ArrayDeque<>();
    private final Map<Long, Instant> lastToChat = new HashMap<>();
    private final Deque<Instant> lastSecond = new ArrayDeque<>();
    private long nextMessageId = 1000;
    private final Map<String, byte[]> files = new HashMap<>();
    private boolean enforceLimits = true;
    private Duration minChatGap = Duration.ofMillis(900);
    private volatile Duration roundTrip = Duration.ZERO;

    private record Scripted(String method, int status, String description, Long retryAfter) {
    }

    public FakeTelegramBotApi(String token) {
        this.token = token;
    }

    /** A fake for a test class: started at once, with a short per-chat gap so that tests need not wait. */
    public static FakeTelegramBotApi startQuick(String token) {
        var fake = new FakeTelegramBotApi(token);
        fake.minChatGap(Duration.ofMillis(150));
        return fake;
    }

    /** A fake for a benchmark that reads none of its calls: it answers as any other, and keeps none of them. */
    public static FakeTelegramBotApi keepingNoCalls(String token) {
        var fake = new FakeTelegramBotApi(token);
        fake.keepNoCalls();
        return fake;
    }

    /** Points Lifeline at this fake with one webhook bot, sending at most five messages a second to a chat. */
    public void register(org.springframework.test.context.DynamicPropertyRegistry registry, String bot, String secret) {
        registerAtDefaultLimits(registry, bot, secret);
        registry.add("lifeline.telegram.per-chat-per-second", () -> "5");
    }

    /** Points Lifeline at this fake with one webhook bot, under Lifeline's default (Telegram's) sending limits. */
    public void registerAtDefaultLimits(org.springframework.test.context.DynamicPropertyRegistry registry, String bot,
            String secret) {
        registry.add("lifeline.telegram.api-url", () -> url().toString());
        registry.add("lifeline.telegram.bots[0].username", () -> bot);
        registry.add("lifeline.telegram.bots[0].token", () -> token);
        registry.add("lifeline.telegram.bots[0].webhook-secret", () -> secret);
    }

    /** A webhook delivery as Telegram makes it to Lifeline on this machine; without the secret header if null. */
    public static java.net.http.HttpRequest webhookDelivery(int port, String bot, String secret, String update) {
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/telegram/" + bot))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(update));
        if (secret != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return request.build();
    }

    /** The next call of {@code method} fails like this. */
    public void failNext(String method, int status, String description, Long retryAfter) {
        lock.lock();
        try {
            script.add(new Scripted(method, status, description, retryAfter));
        } finally {
            lock.unlock();
        }
    }

    public void enforceLimits(boolean enforce) {
        this.enforceLimits = enforce;
    }

    /** The shortest gap between two messages to one chat before answering 429 (Telegram: about a second). */
    public void minChatGap(Duration gap) {
        this.minChatGap = gap;
    }

    /** A file the bot can fetch with {@code getFile} and download, as a requester's photo. */
    public void addFile(String fileId, byte[] content) {
        lock.lock();
        try {
            files.put(fileId, content);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers as if over a network with this round-trip time: half of it passes before the call arrives (is limited
     * and recorded), half before the answer is back.
     */
    public void roundTrip(Duration time) {
        this.roundTrip = time;
    }

    /** Queues an update for {@code getUpdates}. */
    public void queueUpdate(JsonNode update) {
        lock.lock();
        try {
            pendingUpdates.add(update);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public List<Call> calls(String method) {
        return calls().stream().filter(c -> c.method().equals(method)).toList();
    }

    /** Successful sendMessage calls, in the order Telegram accepted them. */
    public List<Call> delivered() {
        return calls("sendMessage").stream().filter(c -> c.status() == 200).toList();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        var path = exchange.getRequestURI().getPath();
        if (path.startsWith("/file/bot")) {
            download(exchange, path);
            return;
        }
        var parts = path.split("/", 3);
        if (parts.length < 3 || !parts[1].startsWith("bot")) {
            respond(exchange, 404, error(404, "Not Found", null));
            return;
        }
        var callToken = parts[1].substring(3);
        var method = parts[2];
        JsonNode body;
        try {
            var raw = exchange.getRequestBody().readAllBytes();
            body = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
        } catch (RuntimeException e) {
            record(callToken, method, null, 400);
            respond(exchange, 400, error(400, "Bad Request: can't parse JSON", null));
            return;
        }
        if (!token.equals(callToken)) {
            record(callToken, method, body, 401);
            respond(exchange, 401, error(401, "Unauthorized", null));
            return;
        }
        if (method.equals("getUpdates")) {
            respond(exchange, 200, getUpdates(body));
            record(callToken, method, body, 200);
            return;
        }
        travel();
        var answer = answer(method, body);
        record(callToken, method, body, answer.status);
        travel();
        respond(exchange, answer.status, answer.body);
    }

    /** Half the round trip; simulated network time, not synchronisation. */
    private void travel() {
        if (!roundTrip.isZero()) {
            try {
                Thread.sleep(roundTrip.dividedBy(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Answer(int status, ObjectNode body) {
    }

    private Answer answer(String method, JsonNode body) {
        lock.lock();
        try {
            var scripted = script.stream().filter(s -> s.method().equals(method)).findFirst().orElse(null);
            if (scripted != null) {
                script.remove(scripted);
                return new Answer(scripted.status(), error(scripted.status(), scripted.description(), scripted.retryAfter()));
            }
            return switch (method) {
                case "sendMessage" -> sendMessage(body);
                case "getFile" -> getFile(body);
                case "answerCallbackQuery", "setWebhook", "deleteWebhook" -> new Answer(200, ok(json.getNodeFactory().booleanNode(true)));
                default -> new Answer(404, error(404, "Not Found: method not found", null));
            };
        } finally {
            lock.unlock();
        }
    }

    private Answer sendMessage(JsonNode body) {
        if (!body.path("chat_id").isIntegralNumber() && !body.path("chat_id").isString()) {
            return new Answer(400, error(400, "Bad Request: chat_id is empty", null));
        }
        var text = body.path("text").asString("");
        if (text.isEmpty()) {
            return new Answer(400, error(400, "Bad Request: message text is empty", null));
        }
        if (text.codePointCount(0, text.length()) > 4096) {
            return new Answer(400, error(400, "Bad Request: message is too long", null));
        }
        for (var row : body.path("reply_markup").path("inline_keyboard")) {
            for (var button : row) {
                if (button.path("callback_data").asString("").getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) {
                    return new Answer(400, error(400, "Bad Request: BUTTON_DATA_INVALID", null));
                }
            }
        }
        var chat = body.path("chat_id").asLong();
        var now = Instant.now();
        if (enforceLimits) {
            var last = lastToChat.get(chat);
            if (last != null && Duration.between(last, now).compareTo(minChatGap) < 0) {
                return new Answer(429, error(429, "Too Many Requests: retry after 1", 1L));
            }
            while (!lastSecond.isEmpty() && Duration.between(lastSecond.peekFirst(), now).toMillis() >= 1000) {
                lastSecond.pollFirst();
            }
            if (lastSecond.size() >= 30) {
                return new Answer(429, error(429, "Too Many Requests: retry after 1", 1L));
            }
        }
        lastToChat.put(chat, now);
        lastSecond.addLast(now);
        var message = json.createObjectNode();
        message.put("message_id", nextMessageId++);
        message.put("date", now.getEpochSecond());
        message.putObject("chat").put("id", chat).put("type", "private");
        message.put("text", text);
        return new Answer(200, ok(message));
    }

    private Answer getFile(JsonNode body) {
        var fileId = body.path("file_id").asString("");
        var content = files.get(fileId);
        if (content == null) {
            return new Answer(400, error(400, "Bad Request: invalid file_id", null));
        }
        var file = json.createObjectNode().put("file_id", fileId).put("file_unique_id", "u" + fileId.hashCode())
                .put("file_size", content.length).put("file_path", "photos/" + fileId + ".jpg");
        return new Answer(200, ok(file));
    }

    private void download(HttpExchange exchange, String path) throws IOException {
        var rest = path.substring("/file/bot".length());
        var slash = rest.indexOf('/');
        var fileId = rest.substring(slash + 1).replaceFirst("^photos/", "").replaceFirst("\\.jpg$", "");
        byte[] content;
        lock.lock();
        try {
            content = token.equals(rest.substring(0, slash)) ? files.get(fileId) : null;
        } finally {
            lock.unlock();
        }
        record(new Call(rest.substring(0, slash), "download", null, Instant.now(), content == null ? 404 : 200));
        respondRaw(exchange, content == null ? 404 : 200, content);
    }

    private ObjectNode getUpdates(JsonNode body) {
        var offset = body.path("offset").asLong(0);
        var timeout = Math.min(body.path("timeout").asLong(0), 5);
        var until = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        lock.lock();
        try {
            pendingUpdates.removeIf(u -> u.path("update_id").asLong() < offset);
            while (pendingUpdates.isEmpty() && System.nanoTime() < until) {
                changed.awaitNanos(until - System.nanoTime());
            }
            var result = json.createArrayNode();
            pendingUpdates.forEach(result::add);
            return ok(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ok(json.createArrayNode());
        } finally {
            lock.unlock();
        }
    }

    private void record(String callToken, String method, JsonNode body, int status) {
        record(new Call(callToken, method, body, Instant.now(), status));
    }

    private ObjectNode ok(JsonNode result) {
        var node = json.createObjectNode();
        node.put("ok", true);
        node.set("result", result);
        return node;
    }

    private ObjectNode error(int code, String description, Long retryAfter) {
        var node = json.createObjectNode();
        node.put("ok", false);
        node.put("error_code", code);
        node.put("description", description);
        if (retryAfter != null) {
            node.putObject("parameters").put("retry_after", retryAfter);
        }
        return node;
    }
}
