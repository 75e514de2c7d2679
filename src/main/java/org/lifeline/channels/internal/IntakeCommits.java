package org.lifeline.channels.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for webhook intake: the updates arriving at once on many connections are inserted as one batch and
 * committed together, and each request waits for that commit before it is answered. A commit costs the database a
 * write to its log (and on PostgreSQL a flush to disk) whatever it holds, so under load one commit carries dozens of
 * updates instead of one; with one request at a time nothing waits to be grouped and a batch holds just that one.
 * An update is acknowledged only once the commit that holds it has returned; a commit that fails fails every
 * request in it (answered 5xx, delivered again by the channel). On H2 the commit is the {@link IntakeJournal}'s.
 */
@Component
class IntakeCommits implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IntakeCommits.class);
    /** The most updates one commit carries. */
    static final int MAX_BATCH = 256;
    /** A request waits this long for its commit before it is answered as failed (and delivered again). */
    static final Duration WAIT = Duration.ofSeconds(20);

    /** One update to insert; {@code inserted} completes with whether it was new, after its commit. */
    record Row(String sql, Object[] values, CompletableFuture<Boolean> inserted) {
    }

    private final BlockingQueue<Row> queue = new LinkedBlockingQueue<>();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final IntakeJournal journal;
    private volatile boolean running;
    private Thread writer;

    IntakeCommits(JdbcTemplate jdbc, PlatformTransactionManager transactions, IntakeJournal journal) {
        this.jdbc = jdbc;
        this.journal = journal;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Inserts with the next group commit; returns whether a row was inserted (false: a redelivery). */
    boolean insert(String sql, Object[] values) {
        if (!running) {
            // before start or while stopping: on its own, as before
            return jdbc.update(sql, values) == 1;
        }
        var row = new Row(sql, values, new CompletableFuture<>());
        queue.add(row);
        try {
            return row.inserted().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataAccessResourceFailureException("Interrupted while waiting for the intake commit");
        } catch (ExecutionException e) {
            // as a database error, whatever failed (a transaction that could not begin, too), so the channel is
            // answered "try again later" as when the insert itself fails
            throw e.getCause() instanceof DataAccessException dataAccess ? dataAccess
                    : new DataAccessResourceFailureException("Intake commit failed", e.getCause());
        } catch (TimeoutException e) {
            // it may still commit: the channel delivers it again, and the idempotency key makes that a duplicate
            throw new DataAccessResourceFailureException("Intake commit took too long");
        }
    }

    private void write() {
        var batch = new ArrayList<Row>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                var first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Intake commit failed: {}", e.getClass().getSimpleName());
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Commits the batch (through the journal on H2), and tells each request whether its row was new; if the batch
     * fails, each row on its own, so that one bad row does not fail the others.
     */
    private void commit(List<Row> batch) {
        var journaled = journal.active() && batch.getFirst().sql().equals(InboundUpdates.INSERT);
        boolean[] inserted;
        try {
            inserted = journaled ? journal.append(batch.stream().map(Row::values).toList()) : insert(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().inserted().completeExceptionally(e);
                return;
            }
            for (var row : batch) {
                try {
                    row.inserted().complete(journaled ? journal.append(List.<Object[]>of(row.values()))[0]
                            : jdbc.update(row.sql(), row.values()) == 1);
                } catch (RuntimeException single) {
                    row.inserted().completeExceptionally(single);
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).inserted().complete(inserted[i]);
        }
    }

    /** The batch in one transaction of the main database: for each row, whether it was new. */
    private boolean[] insert(List<Row> batch) {
        var counts = transaction.execute(status -> jdbc.batchUpdate(batch.getFirst().sql(), new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement statement, int i) throws SQLException {
                var values = batch.get(i).values();
                for (int v = 0; v < values.length; v++) {
                    statement.setObject(v + 1, values[v]);
                }
            }

            @Override
            public int getBatchSize() {
                return batch.size();
            }
        }));
        var inserted = new boolean[batch.size()];
        for (int i = 0; i < inserted.length; i++) {
            // a driver may answer SUCCESS_NO_INFO (-2) for a row of a batch; only 0 means "already there"
            inserted[i] = counts[i] != 0;
        }
        return inserted;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        writer = Thread.ofPlatform().name("intake-commits").daemon().start(this::write);
    }

    /** Commits what is queued, then stops; the web server has stopped taking requests by now. */
    @Override
    public synchronized void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts before the web server and stops after it (lower phases start first and stop last), so that what the
     * server took in is committed, and before the database closes.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
