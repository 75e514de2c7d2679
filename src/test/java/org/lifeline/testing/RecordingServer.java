package org.lifeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the local fakes of outside APIs share: an HTTP server on loopback that records every call and lets a test
 * wait for the calls it expects. A fake is a JUnit extension: a test class registers it on a static field with
 * {@code @RegisterExtension}, and it stops after the class, so no test class has to remember to stop it.
 *
 * @param <C> what the fake records of one call
 */
public abstract class RecordingServer<C> implements AutoCloseable, AfterAllCallback {

    protected final JsonMapper json = JsonMapper.builder().build();
    /** Guards the calls and whatever a fake keeps about them; {@link #changed} is signalled on every change. */
    protected final ReentrantLock lock = new ReentrantLock();
    protected final Condition changed = lock.newCondition();
    private final List<C> calls = new ArrayList<>();
    /** Whether calls are kept for {@link #calls}: a benchmark that reads none turns it off ({@link #keepNoCalls}). */
    private volatile boolean keepCalls = true;
    private final HttpServer server;

    protected RecordingServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            }
        });
        server.start();
    }

    /** Answers one request; the exchange is closed afterwards. */
    protected abstract void handle(HttpExchange exchange) throws IOException;

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every call so far, in the order they were recorded. */
    public List<C> calls() {
        lock.lock();
        try {
            return List.copyOf(calls);
        } finally {
            lock.unlock();
        }
    }

    /** Waits, up to the deadline, until the calls satisfy the condition; returns whether they did. */
    public boolean awaitCalls(Predicate<List<C>> condition, Duration deadline) throws InterruptedException {
        var until = System.nanoTime() + deadline.toNanos();
        lock.lock();
        try {
            while (!condition.test(List.copyOf(calls))) {
                var left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on keeps no call: {@link #calls} stays as it is and {@link #awaitCalls} sees no new one. For a benchmark
     * that reads none, whose process this fake shares with the application it measures: a hundred thousand kept
     * requests (each with its parsed body) would be part of the heap measured, and keep the collector marking them.
     */
    public void keepNoCalls() {
        keepCalls = false;
    }

    protected void record(C call) {
        lock.lock();
        try {
            if (keepCalls) {
                calls.add(call);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    protected void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        var bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Sends bytes, or only the status when there are none. */
    protected static void respondRaw(HttpExchange exchange, int status, byte[] content) throws IOException {
        if (content == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, content.length);
        exchange.getResponseBody().write(content);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
