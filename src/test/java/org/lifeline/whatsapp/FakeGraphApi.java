package org.lifeline.whatsapp;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import org.lifeline.testing.RecordingServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for {@code https://graph.facebook.com} answering the Cloud API calls Lifeline makes as the real
 * one does: {@code POST /{version}/{phone-number-id}/messages} checks the bearer token and the documented limits of
 * each message type (code 100 for a bad parameter) and answers with a {@code wamid}; {@code GET /{version}/{media-id}}
 * gives a download URL that needs the token too. Failures can be scripted with the documented error codes. A test
 * class registers it with {@code @RegisterExtension}, which stops it after the class.
 */
public final class FakeGraphApi extends RecordingServer<FakeGraphApi.Call> {

    public static final String VERSION = "v21.0";
    public static final String NUMBER_ID = "106540352242922";
    public static final String TOKEN = "EAAtesttoken0123456789";
    public static final String APP_SECRET = "app-secret-0123456789abcdef";
    public static final String VERIFY_TOKEN = "verify-me-0123456789";

    public record Call(String method, String path, JsonNode body, int status, String wamid, Instant at) {
    }

    private record Scripted(String to, int status, int code) {
    }

    private final Deque<Scripted> script = new ArrayDeque<>();
    private final Map<String, byte[]> media = new HashMap<>();
    private final Map<String, String> mediaTypes = new HashMap<>();
    private long next = 1;

    private FakeGraphApi() {
    }

    public static FakeGraphApi start() {
        return new FakeGraphApi();
    }

    /** Points Lifeline at this fake, with templates for Russian, Korean and English. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("lifeline.whatsapp.graph-url", () -> url().toString());
        registry.add("lifeline.whatsapp.api-version", () -> VERSION);
        registry.add("lifeline.whatsapp.phone-number-id", () -> NUMBER_ID);
        registry.add("lifeline.whatsapp.access-token", () -> TOKEN);
        registry.add("lifeline.whatsapp.app-secret", () -> APP_SECRET);
        registry.add("lifeline.whatsapp.verify-token", () -> VERIFY_TOKEN);
        registry.add("lifeline.whatsapp.default-language", () -> "en");
        registry.add("lifeline.whatsapp.templates.ru.name", () -> "lifeline_reply_ru");
        registry.add("lifeline.whatsapp.templates.ru.language-code", () -> "ru");
        registry.add("lifeline.whatsapp.templates.ko.name", () -> "lifeline_reply_ko");
        registry.add("lifeline.whatsapp.templates.ko.language-code", () -> "ko");
        registry.add("lifeline.whatsapp.templates.en.name", () -> "lifeline_reply_en");
        registry.add("lifeline.whatsapp.templates.en.language-code", () -> "en_US");
        registry.add("lifeline.whatsapp.per-recipient-per-second", () -> "20");
    }

    /** {@code X-Hub-Signature-256} as Meta computes it: HMAC-SHA256 of the raw body with the app secret. */
    public static String signature(String appSecret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A webhook delivery as Meta makes it, signed with {@code appSecret} (unsigned if null). */
    public static java.net.http.HttpRequest delivery(int port, String appSecret, String body) {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/whatsapp"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (appSecret != null) {
            request.header("X-Hub-Signature-256", signature(appSecret, bytes));
        }
        return request.build();
    }

    /** The next send to this recipient fails with this HTTP status and Graph API error code. */
    public void failNext(String to, int status, int code) {
        lock.lock();
        try {
            script.add(new Scripted(to, status, code));
        } finally {
            lock.unlock();
        }
    }

    /** Media a requester sent, fetchable by its id. */
    public void addMedia(String id, String mimeType, byte[] content) {
        lock.lock();
        try {
            media.put(id, content);
            mediaTypes.put(id, mimeType);
        } finally {
            lock.unlock();
        }
    }

    /** Messages the API accepted for this recipient, in order. */
    public List<Call> sentTo(String waId) {
        return calls().stream().filter(c -> c.status() == 200 && c.body() != null
                && waId.equals(c.body().path("to").asString(""))).toList();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        var path = exchange.getRequestURI().getPath();
        var authorised = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
        if (exchange.getRequestMethod().equals("GET") && path.startsWith("/media-download/")) {
            download(exchange, path.substring("/media-download/".length()), authorised);
            return;
        }
        if (!authorised) {
            record("ANY", path, null, 401, null);
            respond(exchange, 401, error(190, "Invalid OAuth access token - Cannot parse access token"));
            return;
        }
        if (exchange.getRequestMethod().equals("POST") && path.equals("/" + VERSION + "/" + NUMBER_ID + "/messages")) {
            JsonNode body;
            try {
                body = json.readTree(exchange.getRequestBody().readAllBytes());
            } catch (RuntimeException e) {
                respond(exchange, 400, error(100, "(#100) Invalid parameter"));
                return;
            }
            send(exchange, path, body);
            return;
        }
        if (exchange.getRequestMethod().equals("GET") && path.startsWith("/" + VERSION + "/")) {
            mediaUrl(exchange, path, path.substring(VERSION.length() + 2));
            return;
        }
        record(exchange.getRequestMethod(), path, null, 400, null);
        respond(exchange, 400, error(100, "Unsupported request"));
    }

    private void send(HttpExchange exchange, String path, JsonNode body) throws IOException {
        Scripted scripted;
        String wamid = null;
        int status;
        ObjectNode answer;
        lock.lock();
        try {
            scripted = script.stream().filter(f -> f.to().equals(body.path("to").asString(""))).findFirst().orElse(null);
            script.remove(scripted);
            var problem = problem(body);
            if (scripted != null) {
                status = scripted.status();
                answer = error(scripted.code(), "(#" + scripted.code() + ") scripted failure");
            } else if (problem != null) {
                status = 400;
                answer = error(100, "(#100) " + problem);
            } else {
                status = 200;
                var to = body.path("to").asString();
                wamid = "wamid.HBgL" + Base64.getEncoder().encodeToString(to.getBytes(StandardCharsets.US_ASCII))
                        + "FQIAERgS" + (next++) + "A==";
                answer = json.createObjectNode().put("messaging_product", "whatsapp");
                answer.putArray("contacts").addObject().put("input", to).put("wa_id", to);
                answer.putArray("messages").addObject().put("id", wamid);
            }
        } finally {
            lock.unlock();
        }
        record("POST", path, body, status, wamid);
        respond(exchange, status, answer);
    }

    /** What the Cloud API would refuse with code 100, or null. */
    private String problem(JsonNode body) {
        if (!"whatsapp".equals(body.path("messaging_product").asString(""))) {
            return "messaging_product must be whatsapp";
        }
        if (!body.path("to").asString("").matches("[0-9]{6,20}")) {
            return "to is not a WhatsApp id";
        }
        var type = body.path("type").asString("text");
        switch (type) {
            case "text" -> {
                var text = body.path("text").path("body").asString("");
                if (text.isEmpty() || text.codePointCount(0, text.length()) > 4096) {
                    return "text.body must be 1 to 4096 characters";
                }
            }
            case "interactive" -> {
                var interactive = body.path("interactive");
                var text = interactive.path("body").path("text").asString("");
                if (text.isEmpty() || text.length() > 1024) {
                    return "interactive.body.text must be 1 to 1024 characters";
                }
                var ids = new HashSet<String>();
                if (interactive.path("type").asString("").equals("button")) {
                    var buttons = interactive.path("action").path("buttons");
                    if (buttons.isEmpty() || buttons.size() > 3) {
                        return "1 to 3 buttons";
                    }
                    for (var button : buttons) {
                        var title = button.path("reply").path("title").asString("");
                        if (title.isEmpty() || title.length() > 20 || !ids.add(button.path("reply").path("id").asString(""))) {
                            return "button title 1 to 20 characters, ids unique";
                        }
                    }
                } else if (interactive.path("type").asString("").equals("list")) {
                    var button = interactive.path("action").path("button").asString("");
                    if (button.isEmpty() || button.length() > 20) {
                        return "list button 1 to 20 characters";
                    }
                    var rows = 0;
                    for (var section : interactive.path("action").path("sections")) {
                        for (var row : section.path("rows")) {
                            rows++;
                            var title = row.path("title").asString("");
                            if (title.isEmpty() || title.length() > 24 || row.path("description").asString("").length() > 72
                                    || !ids.add(row.path("id").asString(""))) {
                                return "row title 1 to 24, description up to 72 characters, ids unique";
                            }
                        }
                    }
                    if (rows == 0 || rows > 10) {
                        return "1 to 10 rows";
                    }
                } else {
                    return "interactive type not used here";
                }
            }
            case "template" -> {
                if (body.path("template").path("name").asString("").isEmpty()
                        || body.path("template").path("language").path("code").asString("").isEmpty()) {
                    return "template name and language code required";
                }
            }
            default -> {
                return "message type not used here";
            }
        }
        return null;
    }

    private void mediaUrl(HttpExchange exchange, String path, String id) throws IOException {
        byte[] content;
        String type;
        lock.lock();
        try {
            content = media.get(id);
            type = mediaTypes.get(id);
        } finally {
            lock.unlock();
        }
        record("GET", path, null, content == null ? 404 : 200, null);
        if (content == null) {
            respond(exchange, 404, error(100, "(#100) Unsupported get request"));
            return;
        }
        var answer = json.createObjectNode().put("messaging_product", "whatsapp")
                .put("url", url() + "/media-download/" + id).put("mime_type", type)
                .put("sha256", "x").put("file_size", content.length).put("id", id);
        respond(exchange, 200, answer);
    }

    private void download(HttpExchange exchange, String id, boolean authorised) throws IOException {
        byte[] content;
        lock.lock();
        try {
            content = authorised ? media.get(id) : null;
        } finally {
            lock.unlock();
        }
        record("GET", "/media-download/" + id, null, content == null ? 404 : 200, null);
        respondRaw(exchange, content != null ? 200 : authorised ? 404 : 401, content);
    }

    private void record(String method, String path, JsonNode body, int status, String wamid) {
        record(new Call(method, path, body, status, wamid, Instant.now()));
    }

    private ObjectNode error(int code, String message) {
        var node = json.createObjectNode();
        node.putObject("error").put("message", message).put("type", "OAuthException").put("code", code)
                .put("fbtrace_id", "AbCdEf");
        return node;
    }
}
