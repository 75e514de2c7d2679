package org.lifeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook intake beside two bare endpoints in the same run, so that Lifeline's figures read as ratios to what this
 * machine and database do at the moment (the machine is shared): not a test (surefire skips it unless named, see
 * BENCHMARKS.md).
 * <ol>
 * <li>A bare HTTP server (the JDK's) that reads the body and answers 200.</li>
 * <li>A bare durable endpoint: the same server inserting the body into the run's database, one commit a request,
 * through the application's own connection pool.</li>
 * <li>Lifeline's Telegram webhook, with the same Bot-API-shaped updates ({@link TelegramTraffic}), processing
 * what it stores at the same time, as in production.</li>
 * <li>The same webhook with this node's background work (processing, sending) paused: what intake alone takes on the
 * machine's two cores, the bare endpoints' conditions; what it stored is processed afterwards.</li>
 * </ol>
 * Each is driven closed-loop (clients post as fast as they are answered) for the same time, after a warm-up. Then a
 * burst: {@code benchmark.burst} updates (100,000) posted as fast as acknowledged, and the time until all are
 * processed, with the heap sampled throughout.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntakeBenchmark {

    static final String BOT = "lifeline_intake_bench_bot";
    static final String TOKEN = "7000000301:AAintakebenchtokenintakebench";
    static final String SECRET = "intake-bench-secret_0123456789";
    static final int CLIENTS = Integer.getInteger("benchmark.clients", 16);
    static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("benchmark.warmup-seconds", 5));
    static final Duration MEASURED = Duration.ofSeconds(Integer.getInteger("benchmark.seconds", 15));
    static final int BURST = Integer.getInteger("benchmark.burst", 100_000);
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(Integer.getInteger("benchmark.drain-minutes", 30));
    /** Whether to measure bare commits while a backlog is processed ({@link #commitsBesideProcessing}). */
    static final boolean BESIDE_PROCESSING = Boolean.getBoolean("benchmark.beside-processing");
    static final Duration BESIDE = Duration.ofSeconds(10);

    /** Keeps none of the calls it answers: they would be part of the heap measured (none is read here). */
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.keepingNoCalls(TOKEN);

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.registerAtDefaultLimits(registry, BOT, SECRET);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;
    @Autowired
    DataSource dataSource;
    @Autowired
    org.springframework.context.ApplicationContext context;

    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    record Run(String name, long answered, double seconds, Histogram latency, long failures) {

        double perSecond() {
            return answered / seconds;
        }
    }

    @Test
    void intakeBesideBareEndpoints() throws Exception {
        var table = "bench_bare_" + Long.toString(System.nanoTime(), 36);
        jdbc.sql("create table " + table + " (id bigint generated by default as identity primary key, body bytea not null)").update();
        var bare = server(exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
        });
        var durable = durableServer(dataSource, "insert into " + table + " (body) values (?)");
        try {
            var bareUri = URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/");
            var durableUri = URI.create("http://127.0.0.1:" + durable.getAddress().getPort() + "/");
            IntFunction<RequestMaker> plain = client -> {
                var traffic = new TelegramTraffic(json, 1000 + client);
                return () -> HttpRequest.newBuilder(bareUri).POST(HttpRequest.BodyPublishers.ofString(traffic.next())).build();
            };
            IntFunction<RequestMaker> stored = client -> {
                var traffic = new TelegramTraffic(json, 2000 + client);
                return () -> HttpRequest.newBuilder(durableUri).POST(HttpRequest.BodyPublishers.ofString(traffic.next())).build();
            };
            IntFunction<RequestMaker> lifeline = client -> {
                var traffic = new TelegramTraffic(json, 3000 + client);
                return () -> FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, traffic.next());
            };
            for (var warm : List.of(plain, stored, lifeline)) {
                closedLoop("warm-up", warm, WARM_UP, Long.MAX_VALUE);
            }
            awaitDrained();
            var runs = new ArrayList<Run>();
            runs.add(closedLoop("bare HTTP server, reads the body, answers 200", plain, MEASURED, Long.MAX_VALUE));
            runs.add(closedLoop("bare HTTP server, inserts the body, one commit a request", stored, MEASURED, Long.MAX_VALUE));
            var processedBefore = handled();
            runs.add(closedLoop("Lifeline's Telegram webhook", lifeline, MEASURED, Long.MAX_VALUE));
            // what processing did meanwhile: it yields to the intake while updates arrive (IntakeFirst)
            var processedBeside = handled() - processedBefore;
            awaitDrained();
            // all of this node's background work (inbound processing, sending, timers) stops and starts as one
            var background = context.getBean(org.lifeline.platform.BackgroundWork.class);
            background.stop();
            try {
                runs.add(closedLoop("Lifeline's Telegram webhook, processing paused (intake alone)", lifeline, MEASURED,
                        Long.MAX_VALUE));
            } finally {
                background.start();
            }
            awaitDrained();
            var beside = BESIDE_PROCESSING ? commitsBesideProcessing(stored, lifeline, background) : "";

            // the burst, heap sampled throughout
            var memory = ManagementFactory.getMemoryMXBean();
            var maxHeap = new AtomicLong();
            var sampling = new AtomicBoolean(true);
            var sampler = Thread.ofPlatform().daemon().start(() -> {
                while (sampling.get()) {
                    maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(100); // a sampling interval, not synchronisation
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            var handledBefore = handled();
            var burst = closedLoop("burst of " + BURST, lifeline, DRAIN_LIMIT, BURST);
            var pendingAfterBurst = pending();
            var drainFrom = System.nanoTime();
            awaitDrained();
            var drainSeconds = (System.nanoTime() - drainFrom) / 1e9;
            var handled = handled() - handledBefore;
            sampling.set(false);
            sampler.join();
            System.gc();
            var heapAfter = memory.getHeapMemoryUsage().getUsed();

            var report = report(runs, processedBeside, burst, pendingAfterBurst, drainSeconds, handled, maxHeap.get(), heapAfter)
                    + beside;
            System.out.println(report);
            var file = Path.of("target", "benchmarks", "intake-" + (DatabaseAvailability.onPostgres() ? "postgres" : "h2") + ".md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report);
            assertThat(runs).allSatisfy(run -> assertThat(run.failures()).as(run.name() + ": not 200").isZero());
        } finally {
            bare.stop(0);
            durable.stop(0);
            jdbc.sql("drop table " + table).update();
        }
    }

    /**
     * What processing does to another writer's commits: the bare durable endpoint into this run's database, and on H2
     * the same into a second H2 database (as the intake journal is), first with nothing beside them, then while a
     * backlog (stored by the webhook with processing paused) is processed. Returns a report section.
     */
    private String commitsBesideProcessing(IntFunction<RequestMaker> stored, IntFunction<RequestMaker> lifeline,
            org.lifeline.platform.BackgroundWork background) throws Exception {
        var h2 = !DatabaseAvailability.onPostgres();
        var second = h2 ? org.h2.jdbcx.JdbcConnectionPool.create("jdbc:h2:file:"
                + Path.of(System.getProperty("lifeline.data-dir"), "bench-second-" + System.nanoTime()).toAbsolutePath()
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "") : null;
        HttpServer secondServer = null;
        try {
            IntFunction<RequestMaker> secondStored = null;
            if (h2) {
                second.setMaxConnections(32);
                try (var connection = second.getConnection(); var statement = connection.createStatement()) {
                    statement.execute("create table bench (id bigint generated by default as identity primary key, body varbinary not null)");
                }
                secondServer = durableServer(second, "insert into bench (body) values (?)");
                var uri = URI.create("http://127.0.0.1:" + secondServer.getAddress().getPort() + "/");
                secondStored = client -> {
                    var traffic = new TelegramTraffic(json, 4000 + client);
                    return () -> HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(traffic.next())).build();
                };
            }
            var runs = new ArrayList<Run>();
            var processed = new ArrayList<Long>();
            runs.add(closedLoop("bare durable endpoint, this database, nothing beside", stored, BESIDE, Long.MAX_VALUE));
            if (h2) {
                runs.add(closedLoop("bare durable endpoint, a second H2 database, nothing beside", secondStored, BESIDE, Long.MAX_VALUE));
            }
            background.stop();
            Run backlog;
            try {
                backlog = closedLoop("webhook, processing paused (the backlog)", lifeline, Duration.ofSeconds(15), Long.MAX_VALUE);
            } finally {
                background.start();
            }
            var before = handled();
            runs.add(closedLoop("bare durable endpoint, this database, the backlog processed beside", stored, BESIDE, Long.MAX_VALUE));
            processed.add(handled() - before);
            if (h2) {
                before = handled();
                runs.add(closedLoop("bare durable endpoint, a second H2 database, the backlog processed beside", secondStored, BESIDE,
                        Long.MAX_VALUE));
                processed.add(handled() - before);
            }
            var out = new StringBuilder(String.format(Locale.ROOT, "%n| commits beside processing (a backlog of %d) | per second | p50 | p99 | processed meanwhile |%n"
                    + "|---|--:|--:|--:|--:|%n", backlog.answered()));
            for (int i = 0; i < runs.size(); i++) {
                var run = runs.get(i);
                var besideIndex = i - (h2 ? 2 : 1);
                out.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f ms | %.1f ms | %s |%n", run.name(), run.perSecond(),
                        run.latency().getValueAtPercentile(50) / 1000.0, run.latency().getValueAtPercentile(99) / 1000.0,
                        besideIndex >= 0 ? String.format(Locale.ROOT, "%.0f/s", processed.get(besideIndex) / run.seconds()) : ""));
            }
            awaitDrained();
            return out.toString();
        } finally {
            if (secondServer != null) {
                secondServer.stop(0);
            }
            if (second != null) {
                second.dispose();
            }
        }
    }

    interface RequestMaker {
        HttpRequest next();
    }

    interface Handler {
        void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
    }

    /** The bare durable endpoint: inserts each request's body, one commit a request. */
    private static HttpServer durableServer(DataSource database, String insertSql) throws IOException {
        return server(exchange -> {
            var body = exchange.getRequestBody().readAllBytes();
            try (var connection = database.getConnection(); var insert = connection.prepareStatement(insertSql)) {
                connection.setAutoCommit(true);
                insert.setBytes(1, body);
                insert.executeUpdate();
            } catch (java.sql.SQLException e) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.sendResponseHeaders(200, -1);
        });
    }

    private static HttpServer server(Handler handler) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
        return server;
    }

    /** {@link #CLIENTS} clients posting as fast as answered, until the time is up or {@code limit} were answered. */
    private Run closedLoop(String name, IntFunction<RequestMaker> makers, Duration time, long limit) throws Exception {
        var latency = new Histogram(60_000_000L, 3);
        var answered = new LongAdder();
        var failures = new LongAdder();
        var issued = new AtomicLong();
        var start = System.nanoTime();
        var deadline = start + time.toNanos();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                var maker = makers.apply(c);
                clients.submit(() -> {
                    var own = new Histogram(60_000_000L, 3);
                    while (System.nanoTime() < deadline && issued.incrementAndGet() <= limit) {
                        var request = maker.next();
                        var sent = System.nanoTime();
                        try {
                            var status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status == 200) {
                                answered.increment();
                            } else {
                                failures.increment();
                            }
                        } catch (IOException e) {
                            failures.increment();
                        }
                        own.recordValue(Math.min(60_000_000L, (System.nanoTime() - sent) / 1000));
                    }
                    synchronized (latency) {
                        latency.add(own);
                    }
                    return null;
                });
            }
        }
        return new Run(name, answered.sum(), (System.nanoTime() - start) / 1e9, latency, failures.sum());
    }

    private long pending() {
        // on H2 an update may still wait in the intake journal
        return new org.lifeline.testing.StoredUpdates(jdbc, environment).count("state = 'PENDING'");
    }

    private long handled() {
        return jdbc.sql("select count(*) from inbound_update where state in ('PROCESSED', 'FAILED')").query(Long.class).single();
    }

    private void awaitDrained() throws InterruptedException {
        var until = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (pending() > 0 && System.nanoTime() < until) {
            Thread.sleep(200); // polling the queue's size, the condition itself
        }
    }

    private String report(List<Run> runs, long processedBeside, Run burst, long pendingAfterBurst, double drainSeconds, long handled,
            long maxHeap, long heapAfter) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var out = new StringBuilder();
        out.append("#### Intake, ").append(DatabaseAvailability.onPostgres() ? "PostgreSQL" : "H2").append(" — ")
                .append(LocalDate.now()).append("\n\n");
        out.append(String.format(Locale.ROOT, "%d cores, load average %.1f at the end, %s %s, max heap %d MiB; %d clients, "
                        + "closed loop, %d s each after a %d s warm-up%n%n", os.getAvailableProcessors(),
                os.getSystemLoadAverage(), System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory() >> 20, CLIENTS, MEASURED.toSeconds(), WARM_UP.toSeconds()));
        out.append("| endpoint | answered | per second | of bare durable | p50 | p99 | max | not 200 |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
        var durable = runs.get(1).perSecond();
        for (var run : runs) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f%% | %.1f ms | %.1f ms | %.1f ms | %d |%n",
                    run.name(), run.answered(), run.perSecond(), 100 * run.perSecond() / durable,
                    run.latency().getValueAtPercentile(50) / 1000.0, run.latency().getValueAtPercentile(99) / 1000.0,
                    run.latency().getMaxValue() / 1000.0, run.failures()));
        }
        var beside = runs.get(2);
        out.append(String.format(Locale.ROOT, "%nProcessed while \"%s\" ran: %d of its %d updates in %.1f s = %.0f/s "
                + "(the rest afterwards)%n", beside.name(), processedBeside, beside.answered(), beside.seconds(),
                processedBeside / beside.seconds()));
        out.append(String.format(Locale.ROOT, "%n| burst of %d updates | |%n|---|--:|%n", BURST));
        out.append(String.format(Locale.ROOT, "| acknowledged | %d in %.1f s = %.0f/s, p99 %.1f ms, not 200: %d |%n",
                burst.answered(), burst.seconds(), burst.perSecond(), burst.latency().getValueAtPercentile(99) / 1000.0,
                burst.failures()));
        out.append(String.format(Locale.ROOT, "| pending when the burst ended; drained in | %d; %.1f s |%n", pendingAfterBurst, drainSeconds));
        out.append(String.format(Locale.ROOT, "| processed from the burst's start until drained | %d in %.1f s = %.0f/s |%n",
                handled, burst.seconds() + drainSeconds, handled / (burst.seconds() + drainSeconds)));
        out.append(String.format(Locale.ROOT, "| heap used, highest sample (every 100 ms, the test's own clients included); after a GC at the end | %d MiB; %d MiB |%n",
                maxHeap >> 20, heapAfter >> 20));
        return out.toString();
    }
}
