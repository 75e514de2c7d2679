package org.lifeline.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fake of the Telegram Bot API for several bots at once, for measuring outbound concurrency: every request on a
 * thread of its own (so the fake never limits how many calls are in flight), a round trip simulated as
 * network time (half before the call arrives and is counted, half before its answer leaves), and Telegram's limits
 * enforced per bot: 429 past {@code perBot} accepted messages in any second, or a second message to a chat within
 * {@code minChatGap}. Only {@code sendMessage} is recorded; any other method is answered {@code ok}.
 */
public final class SeveralBotsApi implements AutoCloseable {

    /** One accepted or refused {@code sendMessage}: which bot, chat and text, when it arrived (monotonic nanos). */
    public record Send(String token, long chat, String text, long arrivedNanos, int status) {
    }

    private final HttpServer server;
    /** Platform threads: the fake must not share the virtual threads' carriers with the application it measures. */
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Object lock = new Object();
    private final List<Send> sends = new ArrayList<>();
    private final Map<String, Deque<Long>> lastSecond = new HashMap<>();
    private final Map<String, Long> lastToChat = new HashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final AtomicLong nextMessageId = new AtomicLong(1000);
    private final int perBot;
    private final Duration minChatGap;
    private volatile Duration roundTrip = Duration.ZERO;

    public SeveralBotsApi(int perBot, Duration minChatGap) {
        this.perBot = perBot;
        this.minChatGap = minChatGap;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void roundTrip(Duration time) {
        this.roundTrip = time;
    }

    public List<Send> sends() {
        synchronized (lock) {
            return List.copyOf(sends);
        }
    }

    /** The most calls of one bot any moment had at the fake (arrived, answer not yet sent). */
    public int maxInFlight(String token) {
        var max = maxInFlight.get(token);
        return max == null ? 0 : max.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = exchange.getRequestBody().readAllBytes();
            var path = exchange.getRequestURI().getPath();
            var slash = path.indexOf('/', 1);
            var token = path.substring(4, slash);
            var method = path.substring(slash + 1);
            // in flight from the request to its answer, both halves of the round trip included
            var calls = inFlight.computeIfAbsent(token, t -> new AtomicInteger());
            maxInFlight.computeIfAbsent(token, t -> new AtomicInteger()).accumulateAndGet(calls.incrementAndGet(), Math::max);
            try {
                travel();
                String answer;
                int status;
                if (method.equals("sendMessage")) {
                    var request = json.readTree(body);
                    var chat = request.path("chat_id").asLong();
                    status = accept(token, chat, request.path("text").asString(""), System.nanoTime());
                    answer = status == 200
                            ? "{\"ok\":true,\"result\":{\"message_id\":" + nextMessageId.incrementAndGet() + ",\"chat\":{\"id\":" + chat + "}}}"
                            : "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\",\"parameters\":{\"retry_after\":1}}";
                } else {
                    status = 200;
                    answer = "{\"ok\":true,\"result\":true}";
                }
                travel();
                var bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } finally {
                calls.decrementAndGet();
            }
        }
    }

    private int accept(String token, long chat, String text, long now) {
        synchronized (lock) {
            var window = lastSecond.computeIfAbsent(token, t -> new ArrayDeque<>());
            while (!window.isEmpty() && now - window.peekFirst() >= 1_000_000_000L) {
                window.pollFirst();
            }
            var last = lastToChat.get(token + ":" + chat);
            var status = (last != null && now - last < minChatGap.toNanos()) || window.size() >= perBot ? 429 : 200;
            if (status == 200) {
                window.addLast(now);
                lastToChat.put(token + ":" + chat, now);
            }
            sends.add(new Send(token, chat, text, now, status));
            return status;
        }
    }

    /** Half the round trip: simulated network time, not synchronisation. */
    private void travel() {
        if (!roundTrip.isZero()) {
            try {
                Thread.sleep(roundTrip.dividedBy(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
