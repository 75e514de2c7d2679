package org.lifeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Inbound processing alone, beside a bare baseline in the same run: not a test (surefire skips it unless named, see
 * BENCHMARKS.md).
 * <ol>
 * <li>A warm-up of {@code benchmark.warmup} (10,000) updates processed as they arrive.</li>
 * <li>{@code benchmark.bursts} (2) bursts, each once the JIT compiler has been quiet for a few seconds: with the
 * channel workers stopped, {@code benchmark.backlog} (100,000) Bot-API-shaped updates ({@link TelegramTraffic}) are
 * stored through the Telegram webhook; then the workers start, and the time until the backlog has drained is measured:
 * each update claimed, decrypted, recorded on its conversation, run through the flow, its answers queued in the outbox,
 * in one transaction. The first burst runs code that only a burst makes hot while the compiler is still at it (a
 * server's first viral campaign), the second finds it compiled.</li>
 * <li>Bare baseline, before the first burst's drain: as many single-row insert-and-commit transactions of an update's
 * size, on as many threads as there are inbound workers (2 unless {@code -Dlifeline.channels.inbound-workers} says
 * otherwise), through the application's own connection pool.</li>
 * </ol>
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProcessingBenchmark {

    static final String BOT = "lifeline_processing_bench_bot";
    static final String TOKEN = "7000000302:AAprocessingbenchtokenprocessing";
    static final String SECRET = "processing-bench-secret_012345";
    static final int CLIENTS = Integer.getInteger("benchmark.clients", 16);
    /**
     * Updates processed as they arrive before the measurement: the whole path run, but on 2 cores not the compiler's
     * work done (C2 is still at it when 10,000 have drained; the first burst pays the rest, see BENCHMARKS.md).
     */
    static final int WARM_UP = Integer.getInteger("benchmark.warmup", 10_000);
    /** The burst: a rate sustained through it, not a compiler's warm-up (10,000 measured mostly that). */
    static final int BACKLOG = Integer.getInteger("benchmark.backlog", 100_000);
    /** ChannelWorkers' inbound threads ({@code -Dlifeline.channels.inbound-workers}, as the application reads it). */
    static final int INBOUND_WORKERS = Integer.getInteger("lifeline.channels.inbound-workers", 2);
    /**
     * Bursts measured one after the other ({@code benchmark.bursts}, 2): the first runs code that only a burst makes hot
     * (batches of many updates, the outbox at its full rate) while the compiler is still at it; the next finds it done.
     */
    static final int BURSTS = Integer.getInteger("benchmark.bursts", 2);
    /** How long the compiler must have compiled nothing before a burst is stored, as on a server up for a while. */
    static final Duration COMPILER_QUIET = Duration.ofSeconds(3);
    /** The longest a burst waits for the compiler to be quiet. */
    static final Duration COMPILER_WAIT = Duration.ofMinutes(2);
    /**
     * On H2, H2's statistics of every statement (executions, time, rows) during the last burst's drain, printed after
     * it per update processed: how many statements an update costs, and which.
     */
    static final boolean STATEMENTS = Boolean.getBoolean("benchmark.statements");
    /** The JIT compilers' time so far: how much of a phase they were at work, and whether they are quiet. */
    static final java.lang.management.CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(Integer.getInteger("benchmark.drain-minutes", 20));

    /** Keeps none of the calls it answers: they would be part of the heap measured (none is read here). */
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.keepingNoCalls(TOKEN);

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.registerAtDefaultLimits(registry, BOT, SECRET);
        // the backlog is stored with processing paused and measured in inbound_update: on H2 straight into it, not
        // through the intake journal, whose moves the IntakeBenchmark's burst includes
        registry.add("lifeline.channels.intake-journal", () -> "false");
        // on H2, a backup of what the drain left, timed
        registry.add("lifeline.backup.every", () -> "1d");
        registry.add("lifeline.backup.directory", () -> Path.of("target", "benchmarks", "backups").toAbsolutePath().toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    ApplicationContext context;
    /** Among them the updates a transaction may take under a backlog ({@code -Dlifeline.channels.inbound-batch}). */
    @Autowired
    org.lifeline.channels.internal.ChannelsSettings channels;

    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    @Test
    void processingBesideBareCommits() throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var loadAtStart = os.getSystemLoadAverage();
        // all of this node's background work (inbound processing, sending, timers) stops and starts as one
        var workers = context.getBean(org.lifeline.platform.BackgroundWork.class);

        // warm-up: the whole path, processing running
        var warmUpFrom = System.nanoTime();
        var compiledBefore = COMPILER.getTotalCompilationTime();
        post(WARM_UP, 0);
        awaitDrained();
        var warmUpSeconds = (System.nanoTime() - warmUpFrom) / 1e9;
        var warmUpCompiling = (COMPILER.getTotalCompilationTime() - compiledBefore) / 1e3;
        // the day's backup now, of the small database: the workers' restart runs the backups' round at once, and
        // finds it not due (one during the drain would be measured with it)
        var backups = context.getBean(org.lifeline.platform.EmbeddedBackups.class);
        backups.backUpIfDue();

        Bare bare = null;
        var bursts = new ArrayList<Burst>();
        var statements = "";
        for (int n = 1; n <= BURSTS; n++) {
            // as on a server that has run for a while since its start or its last burst: what the compiler had queued
            // is compiled; what only a burst makes hot is not
            var compilerWait = awaitCompilerQuiet();
            workers.stop();
            var failedBefore = inbound("FAILED");
            var droppedBefore = inbound("DROPPED");
            var pendingBefore = inbound("PENDING");
            var storedFrom = System.nanoTime();
            post(BACKLOG, 10_000 * n);
            var storeSeconds = (System.nanoTime() - storedFrom) / 1e9;
            var backlog = inbound("PENDING") - pendingBefore;
            var dropped = inbound("DROPPED") - droppedBefore;
            if (DatabaseAvailability.onPostgres()) {
                // as autovacuum would after such a change (the test server runs without it)
                for (var table : new String[] {"inbound_update", "outbox_message", "contact", "conversation", "message",
                        "flow_session", "channel_route"}) {
                    jdbc.sql("analyze " + table).update();
                }
            }
            if (bare == null) {
                bare = bareCommits(backlog);
            }
            var counted = STATEMENTS && n == BURSTS && !DatabaseAvailability.onPostgres();
            if (counted) {
                jdbc.sql("set query_statistics_max_entries 1000").update();
                jdbc.sql("set query_statistics true").update();
            }
            bursts.add(drain(workers, backlog, storeSeconds, dropped, failedBefore, compilerWait, os));
            if (counted) {
                statements = statements(bursts.getLast().processed());
                jdbc.sql("set query_statistics false").update();
            }
        }
        var left = bursts.stream().mapToLong(Burst::left).sum();
        var failed = bursts.stream().mapToLong(Burst::failed).sum();

        var database = DatabaseAvailability.onPostgres() ? "PostgreSQL" : "H2";
        var out = new StringBuilder();
        out.append("##### Processing, ").append(database).append(" — ").append(LocalDate.now()).append("\n\n");
        out.append(String.format(Locale.ROOT, "%d cores, load average %.1f at the start, %.1f at the end, %s %s, max heap %d MiB; "
                        + "after a warm-up of %d updates processed as they arrived (%.1f s, the JIT compilers at work for %.1f s of it), "
                        + "%d burst(s) of %d updates, each stored through "
                        + "the webhook with the workers stopped, then drained%n%n", os.getAvailableProcessors(), loadAtStart,
                os.getSystemLoadAverage(), System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory() >> 20, WARM_UP, warmUpSeconds, warmUpCompiling, BURSTS, BACKLOG));
        out.append("| work | done | seconds | per second | of bare |\n|---|--:|--:|--:|--:|\n");
        out.append(String.format(Locale.ROOT, "| bare: single-row insert + commit, %d threads, the application's pool | %d | %.1f | %.0f | 100%% |%n",
                INBOUND_WORKERS, bare.done(), bare.seconds(), bare.perSecond()));
        for (int n = 0; n < bursts.size(); n++) {
            var burst = bursts.get(n);
            out.append(String.format(Locale.ROOT, "| Lifeline, burst %d: stored update → flow answers in the outbox, %d inbound workers, batches of up to %d | %d | %.1f | %.0f | %.1f%% |%n",
                    n + 1, INBOUND_WORKERS, channels.inboundBatch(), burst.processed(), burst.seconds(), burst.perSecond(),
                    100 * burst.perSecond() / bare.perSecond()));
            out.append(String.format(Locale.ROOT, "| … of which the second half of burst %d (%d updates) | %d | %.1f | %.0f | %.1f%% |%n",
                    n + 1, burst.halfLeft(), burst.halfLeft(), burst.halfLeft() / burst.secondHalf(), burst.secondHalf(),
                    100 * burst.secondHalf() / bare.perSecond()));
        }
        out.append("\n");
        for (int n = 0; n < bursts.size(); n++) {
            var burst = bursts.get(n);
            out.append(String.format(Locale.ROOT, "Burst %d: %d stored in %.1f s (%d more stored as flood drops, never processed), "
                            + "%s; answers queued in the outbox: %d (%.2f an update); "
                            + "failed: %d; still pending at the end: %d; heap used, highest 50 ms sample during the drain: %d MiB of %d; "
                            + "CPU of this process during the drain: %.3f ms an update, %s in the kernel; the JIT compilers at work for %.1f s of "
                            + "the drain%s%n%n",
                    n + 1, burst.stored(), burst.storeSeconds(), burst.dropped(), burst.compilerWait().describe(),
                    burst.answers(), (double) burst.answers() / Math.max(1, burst.processed()),
                    burst.failed(), burst.left(), burst.heapHighest() >> 20, Runtime.getRuntime().maxMemory() >> 20,
                    burst.cpuMillis() / Math.max(1, burst.processed()), burst.kernel().share(),
                    burst.compilingMillis() / 1e3, burst.writes().describe(burst.processed())));
        }
        // less at the mercy of whatever else the shared machine runs than the rates: what this process spent (on H2
        // the database's work too; on PostgreSQL the server's is not in it), beside the bare commits'
        out.append(String.format(Locale.ROOT, "CPU of this process for the bare commits: %.3f ms a commit%n",
                bare.cpuMillis() / Math.max(1, bare.done())));
        if (!DatabaseAvailability.onPostgres()) {
            out.append(backup(backups));
        }
        out.append(statements);
        System.out.println(out);
        var file = Path.of("target", "benchmarks", "processing-" + (DatabaseAvailability.onPostgres() ? "postgres" : "h2") + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        assertThat(left).as("drained").isZero();
        assertThat(failed).as("failed").isZero();
    }

    /** H2's statistics of the statements since they were switched on, per update processed, the costliest first. */
    private String statements(long processed) {
        var out = new StringBuilder(String.format(Locale.ROOT, "%nStatements during the last drain (H2's statistics), per update "
                + "processed (%d):%n%n| statement | executions an update | rows an update | ms an update (H2's own time) |%n"
                + "|---|--:|--:|--:|%n", processed));
        double[] total = new double[2];
        jdbc.sql("select sql_statement, execution_count, cumulative_row_count, cumulative_execution_time "
                + "from information_schema.query_statistics order by cumulative_execution_time desc")
                .query((java.sql.ResultSet rs) -> {
                    var sql = rs.getString(1).replaceAll("\\s+", " ");
                    var executions = rs.getLong(2) / (double) processed;
                    total[0] += executions;
                    total[1] += rs.getDouble(4) / processed;
                    if (executions >= 0.01) {
                        out.append(String.format(Locale.ROOT, "| `%s` | %.3f | %.2f | %.4f |%n",
                                sql.length() > 160 ? sql.substring(0, 160) + "…" : sql, executions,
                                rs.getLong(3) / (double) processed, rs.getDouble(4) / processed));
                    }
                });
        out.append(String.format(Locale.ROOT, "| all | %.2f | | %.4f |%n", total[0], total[1]));
        return out.toString();
    }

    /**
     * The server's backup of the database the drain left (H2's script of every table in one snapshot, gzipped), beside
     * a bare copy of the database's file on the same disk.
     */
    private String backup(org.lifeline.platform.EmbeddedBackups backups) throws Exception {
        var databaseFile = Path.of(System.getProperty("lifeline.data-dir"), "db", "lifeline.mv.db");
        var copy = Path.of("target", "benchmarks", "copy.mv.db");
        var started = System.nanoTime();
        Files.copy(databaseFile, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var copySeconds = (System.nanoTime() - started) / 1e9;
        Files.delete(copy);
        // the one the warm-up left gone, the next is due
        try (var earlier = Files.list(Path.of("target", "benchmarks", "backups"))) {
            for (var file : earlier.toList()) {
                Files.delete(file);
            }
        }
        started = System.nanoTime();
        var written = backups.backUpIfDue().orElseThrow();
        var backupSeconds = (System.nanoTime() - started) / 1e9;
        var size = Files.size(written);
        Files.delete(written);
        return String.format(Locale.ROOT, "%nA backup of the database the drain left (its file %d MiB): %.1f s, %d MiB gzipped"
                + " (a bare copy of the file: %.1f s)%n", Files.size(databaseFile) >> 20, backupSeconds, size >> 20, copySeconds);
    }

    record Burst(long stored, double storeSeconds, long dropped, CompilerWait compilerWait, long processed, double seconds,
            long halfLeft, double secondHalf, long answers, long failed, long left, long heapHighest, double cpuMillis,
            double compilingMillis, KernelTime kernel, StoreWrites writes) {

        double perSecond() {
            return processed / seconds;
        }
    }

    /** The workers started on {@code backlog} stored updates, and the time until they are all processed. */
    private Burst drain(org.lifeline.platform.BackgroundWork workers, long backlog, double storeSeconds, long dropped,
            long failedBefore, CompilerWait compilerWait, com.sun.management.OperatingSystemMXBean os) throws Exception {
        var processedBefore = inbound("PROCESSED");
        var outboxBefore = outbox();
        var cpuFrom = os.getProcessCpuTime();
        var compiledFrom = COMPILER.getTotalCompilationTime();
        var kernelFrom = KernelTime.now();
        var writesFrom = storeWrites();
        var drainFrom = System.nanoTime();
        workers.start();
        var until = drainFrom + DRAIN_LIMIT.toNanos();
        var memory = ManagementFactory.getMemoryMXBean();
        long heapHighest = 0;
        // when half the backlog was left: the rate over the second half is the one the compiler no longer holds back
        long halfAt = 0;
        long halfLeft = 0;
        var nextCount = System.nanoTime();
        while (anyPending() && System.nanoTime() < until) {
            heapHighest = Math.max(heapHighest, memory.getHeapMemoryUsage().getUsed());
            if (halfAt == 0 && System.nanoTime() >= nextCount) {
                // a count every second until half is done (a few milliseconds each on PostgreSQL)
                var left = inbound("PENDING");
                if (left <= backlog / 2) {
                    halfAt = System.nanoTime();
                    halfLeft = left;
                }
                nextCount = System.nanoTime() + 1_000_000_000L;
            }
            Thread.sleep(50); // polling the queue's size, the condition itself
        }
        var drainedAt = System.nanoTime();
        var cpuMillis = (os.getProcessCpuTime() - cpuFrom) / 1e6;
        // the compiler threads' time (the JVM sums each compilation's elapsed time): on 2 cores, taken from the workers,
        // what a burst pays for code not compiled yet
        var compilingMillis = (double) (COMPILER.getTotalCompilationTime() - compiledFrom);
        var drainSeconds = (drainedAt - drainFrom) / 1e9;
        var secondHalf = halfAt == 0 ? Double.NaN : halfLeft / ((drainedAt - halfAt) / 1e9);
        return new Burst(backlog, storeSeconds, dropped, compilerWait, inbound("PROCESSED") - processedBefore,
                drainSeconds, halfLeft, secondHalf, outbox() - outboxBefore, inbound("FAILED") - failedBefore,
                inbound("PENDING"), heapHighest, cpuMillis, compilingMillis, KernelTime.now().since(kernelFrom),
                storeWrites().since(writesFrom));
    }

    /**
     * What H2's store has written so far: its versions (each store of the changed pages, at a commit with
     * {@code WRITE_DELAY=0} or by its background writer) and the bytes written to its file; none on PostgreSQL.
     * Every store writes each page changed since the one before, whole; a page a transaction changed before another
     * one's commit stored it, and changes again (its commit marks its entries committed), is written twice.
     */
    private StoreWrites storeWrites() {
        if (DatabaseAvailability.onPostgres()) {
            return StoreWrites.NONE;
        }
        try (var connection = dataSource.getConnection()) {
            var session = (org.h2.engine.SessionLocal) connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
            var store = session.getDatabase().getStore().getMvStore();
            // FileStore counts the bytes it writes, and says them to no one: read as the tool it is
            var bytes = org.h2.mvstore.FileStore.class.getDeclaredField("writeBytes");
            bytes.setAccessible(true);
            return new StoreWrites(store.getCurrentVersion(),
                    ((java.util.concurrent.atomic.AtomicLong) bytes.get(store.getFileStore())).get());
        } catch (java.sql.SQLException | ReflectiveOperationException | RuntimeException e) {
            return StoreWrites.NONE;
        }
    }

    /** H2's store's versions and bytes written; negative when unknown. */
    record StoreWrites(long versions, long bytes) {

        static final StoreWrites NONE = new StoreWrites(-1, -1);

        StoreWrites since(StoreWrites from) {
            return versions < 0 || from.versions < 0 ? NONE
                    : new StoreWrites(versions - from.versions, bytes - from.bytes);
        }

        String describe(long processed) {
            return versions < 0 ? ""
                    : String.format(Locale.ROOT, "; H2's store: %d versions stored (%.1f updates a version), %.1f KB written an update",
                            versions, (double) processed / Math.max(1, versions), bytes / 1024.0 / Math.max(1, processed));
        }
    }

    /**
     * The process's CPU time in user and kernel mode so far, in clock ticks, as Linux counts them ({@code utime} and
     * {@code stime} of {@code /proc/self/stat}); none elsewhere. The kernel's share of a drain is its writes to the
     * database's file, page faults and the threads' hand-offs, which a JFR recording's samples do not show.
     */
    record KernelTime(long user, long kernel) {

        static KernelTime now() {
            try {
                var stat = Files.readString(Path.of("/proc/self/stat"));
                // the fields after the command, which is in parentheses and may hold spaces
                var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new KernelTime(Long.parseLong(fields[11]), Long.parseLong(fields[12]));
            } catch (java.io.IOException | RuntimeException e) {
                return new KernelTime(-1, -1);
            }
        }

        KernelTime since(KernelTime from) {
            return user < 0 || from.user < 0 ? new KernelTime(-1, -1) : new KernelTime(user - from.user, kernel - from.kernel);
        }

        String share() {
            return user < 0 || user + kernel == 0 ? "unknown share"
                    : String.format(Locale.ROOT, "%.0f%%", 100.0 * kernel / (user + kernel));
        }
    }

    /** How long a burst waited for the compiler, and whether it was quiet by then or the wait ran out. */
    record CompilerWait(double seconds, boolean quiet) {

        String describe() {
            return quiet
                    ? String.format(Locale.ROOT, "after the compiler had been quiet for %.0f s (waited %.1f s)",
                            COMPILER_QUIET.toMillis() / 1e3, seconds)
                    : String.format(Locale.ROOT, "with the compiler still at work after the longest wait (%.1f s)", seconds);
        }
    }

    /**
     * Waits until the JIT compiler has compiled nothing for {@link #COMPILER_QUIET}, at most {@link #COMPILER_WAIT}
     * (the outbox sends the warm-up's answers all the while, and what it compiles now and then may never leave it
     * quiet that long).
     */
    private static CompilerWait awaitCompilerQuiet() throws InterruptedException {
        var from = System.nanoTime();
        var last = COMPILER.getTotalCompilationTime();
        var quietSince = from;
        while (System.nanoTime() - quietSince < COMPILER_QUIET.toNanos()) {
            if (System.nanoTime() - from >= COMPILER_WAIT.toNanos()) {
                return new CompilerWait((System.nanoTime() - from) / 1e9, false);
            }
            Thread.sleep(100); // polling the compiler's total time, the condition itself
            var total = COMPILER.getTotalCompilationTime();
            if (total != last) {
                last = total;
                quietSince = System.nanoTime();
            }
        }
        return new CompilerWait((System.nanoTime() - from) / 1e9, true);
    }

    record Bare(long done, double seconds, double cpuMillis) {

        double perSecond() {
            return done / seconds;
        }
    }

    /** {@code count} single-row autocommitted inserts of an update's size, on {@link #INBOUND_WORKERS} threads. */
    private Bare bareCommits(long count) throws Exception {
        var table = "bench_bare_" + Long.toString(System.nanoTime(), 36);
        jdbc.sql("create table " + table + " (id bigint generated by default as identity primary key, body bytea not null)").update();
        try {
            var body = new byte[600];
            new java.util.Random(1).nextBytes(body);
            var issued = new AtomicLong();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var cpuFrom = os.getProcessCpuTime();
            var from = System.nanoTime();
            try (var threads = Executors.newFixedThreadPool(INBOUND_WORKERS)) {
                for (int t = 0; t < INBOUND_WORKERS; t++) {
                    threads.submit(() -> {
                        while (issued.incrementAndGet() <= count) {
                            try (var connection = dataSource.getConnection();
                                    var insert = connection.prepareStatement("insert into " + table + " (body) values (?)")) {
                                connection.setAutoCommit(true);
                                insert.setBytes(1, body);
                                insert.executeUpdate();
                            }
                        }
                        return null;
                    });
                }
            }
            var seconds = (System.nanoTime() - from) / 1e9;
            var cpuMillis = (os.getProcessCpuTime() - cpuFrom) / 1e6;
            var done = jdbc.sql("select count(*) from " + table).query(Long.class).single();
            return new Bare(done, seconds, cpuMillis);
        } finally {
            jdbc.sql("drop table " + table).update();
        }
    }

    /** {@code count} updates posted to the webhook by {@link #CLIENTS} clients, each as soon as the last was answered. */
    private void post(int count, int seed) throws Exception {
        var issued = new AtomicLong();
        var failures = new LongAdder();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                var traffic = new TelegramTraffic(json, seed + c);
                clients.submit(() -> {
                    while (issued.incrementAndGet() <= count) {
                        var status = http.send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, traffic.next()),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200) {
                            failures.increment();
                        }
                    }
                    return null;
                });
            }
        }
        assertThat(failures.sum()).as("webhook requests not answered 200").isZero();
    }

    private long inbound(String state) {
        return jdbc.sql("select count(*) from inbound_update where state = ?").param(state).query(Long.class).single();
    }

    /**
     * Whether an update waits: a probe of the pending updates' index, where a count of them took 5–7 ms a call on
     * PostgreSQL (a generic plan's scan), a few percent of a core taken from the drain it measures.
     */
    private boolean anyPending() {
        return jdbc.sql("select exists (select 1 from inbound_update where state = 'PENDING')").query(Boolean.class)
                .single();
    }

    private long outbox() {
        return jdbc.sql("select count(*) from outbox_message").query(Long.class).single();
    }

    private void awaitDrained() throws InterruptedException {
        var until = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (anyPending() && System.nanoTime() < until) {
            Thread.sleep(200); // polling the queue's size, the condition itself
        }
    }
}
