package org.lifeline.channels.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.lifeline.platform.BackgroundWork;
import org.lifeline.platform.Databases;
import org.lifeline.platform.PlatformSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On H2, the webhooks' updates are committed to a journal of their own, a second H2 database beside the main one
 * ({@code lifeline-intake} next to {@code lifeline}), and a background job moves them into {@code inbound_update} in
 * large batches, in the order they were committed. Why: H2 keeps all of a database's tables in one store, and every
 * commit writes every page changed since the last one, whoever changed it. With processing running, each of the
 * intake's commits wrote processing's pages too and waited for the store behind processing's commits: on 2 cores a
 * bare endpoint inserting each request into the main database fell from 3,421 to 320 commits a second while a backlog
 * was processed, and into a second H2 database only from 3,111 to 1,754 (BENCHMARKS.md). PostgreSQL has no such
 * store, and a node on it never uses the journal.
 * <p>
 * An update is acknowledged once its journal commit has returned (H2 writes it to the file at the commit,
 * {@code WRITE_DELAY=0}), so what was acknowledged survives a crash: in the journal until moved, then in
 * {@code inbound_update}. A move inserts into {@code inbound_update} and commits, then deletes what it moved from the
 * journal; a crash in between moves the same updates again, and the idempotency key makes the second insert nothing.
 * A redelivery is recognised as before: the writer looks for its key among the updates moved already and in the
 * journal, and a move does not delete from the journal while the writer looks (otherwise an update could leave the
 * journal between the two looks and be taken in twice, the second time dropped at its move).
 * <p>
 * While updates are arriving and processing has {@link #FLOOD_BACKLOG} pending already, moves wait: a move inserts
 * each update a second time, and that work is better done once the flood ebbs than on the cores acknowledging it.
 * <p>
 * What waits in the journal counts as pending for its sender ({@link #pendingFor}), and a sender's erasure removes it
 * from the journal too ({@link #discardPending}). An update that cannot be moved on its own (never seen: it would
 * take a data key destroyed while it waited) stays in the journal and is tried again, logged by its error's type.
 */
@Component
class IntakeJournal implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IntakeJournal.class);
    /** The most updates one move takes (one commit of the main database). */
    static final int MOVE_BATCH = 1024;
    /**
     * How long a move waits after the previous one, so that during a flood each main-database commit carries a few
     * hundred updates instead of a few (each of those commits also writes processing's pages): what this adds to an
     * update's way to processing, at most.
     */
    static final Duration MOVE_INTERVAL = Duration.ofMillis(25);
    /**
     * While updates are arriving ({@link IntakeFirst#busy()}), a move waits as long as this many updates of the
     * endpoints this node serves are pending in {@code inbound_update} already: processing has that much to do before
     * it would reach what is moved (during a flood it yields to the intake), and the move's work (each update inserted
     * a second time, with every index of {@code inbound_update}) is then done once the flood ebbs instead of on the
     * cores acknowledging it. Updates of an endpoint no node serves any more wait, pending, for one that does: they
     * give processing nothing to do and never hold the moves back.
     */
    static final int FLOOD_BACKLOG = MOVE_BATCH;
    /** H2's {@code ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1}: no database by that name (H2 is a runtime dependency). */
    static final int H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS = 90146;

    /**
     * The journal's one table. Its ids are generated by default, not always, so that the script H2's recovery tool
     * writes from a damaged journal (which inserts the ids it read) runs into a new one: README, "If the intake journal
     * cannot be opened". {@link #BY_DEFAULT} turns a journal created before that.
     */
    static final String TABLE = """
            create table if not exists intake_update (
                id               bigint generated by default as identity primary key,
                channel          varchar(16)  not null,
                endpoint         varchar(64)  not null,
                idempotency_key  varchar(128) not null,
                sender_ref       varbinary    not null,
                data_key_id      uuid         not null,
                payload_enc      varbinary,
                state            varchar(16)  not null,
                received_at      timestamp with time zone not null,
                constraint intake_update_idempotent unique (channel, endpoint, idempotency_key)
            )""";
    static final String BY_DEFAULT = "alter table intake_update alter column id set generated by default";
    static final String SENDER_INDEX = "create index if not exists intake_update_sender on intake_update (sender_ref)";
    static final String APPEND = """
            insert into intake_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, payload_enc, state, received_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";

    /**
     * One lock a journal for the moves, and one for the writer's looks against a move's delete: shared by every
     * application context of this JVM that opens the same journal (tests start several), so that two of them never
     * move the same updates at once.
     */
    private record Locks(ReentrantLock move, ReentrantLock delete) {
    }

    private static final ConcurrentMap<String, Locks> LOCKS = new ConcurrentHashMap<>();

    /** The journal, when it is used or has updates left from a run that used it; null otherwise. */
    private final HikariDataSource journal;
    private final boolean appending;
    private final Locks locks;
    private final JdbcTemplate main;
    private final TransactionTemplate mainTransaction;
    private final ObjectProvider<ChannelWorkers> workers;
    private final ObjectProvider<Adapters> adapters;
    private final IntakeFirst intakeFirst;
    private BackgroundWork.Job mover;
    private long lastMove;

    IntakeJournal(ChannelsSettings channels, PlatformSettings platform, Environment environment,
            JdbcTemplate main, PlatformTransactionManager transactions,
            BackgroundWork work, ObjectProvider<ChannelWorkers> workers, ObjectProvider<Adapters> adapters,
            IntakeFirst intakeFirst) {
        this.main = main;
        this.adapters = adapters;
        this.intakeFirst = intakeFirst;
        this.mainTransaction = new TransactionTemplate(transactions);
        this.workers = workers;
        var url = platform.backgroundWork() && Databases.onH2(environment)
                ? Databases.h2Beside(environment.getProperty("spring.datasource.url", ""), "intake") : Optional.<String>empty();
        this.appending = url.isPresent() && channels.intakeJournal();
        if (url.isEmpty() || !appending && !leftOver(url.get(), environment)) {
            this.journal = null;
            this.locks = null;
            return;
        }
        // turned off after a run with it on: the updates left in it are still moved, new ones go straight in
        var config = new HikariConfig();
        config.setJdbcUrl(url.get());
        config.setUsername(environment.getProperty("spring.datasource.username", "sa"));
        config.setPassword(environment.getProperty("spring.datasource.password", ""));
        config.setPoolName("intake-journal");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        try {
            this.journal = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw unreadable(url.get(), e);
        }
        this.locks = LOCKS.computeIfAbsent(url.get(), ignored -> new Locks(new ReentrantLock(), new ReentrantLock()));
        try (var connection = journal.getConnection(); var statement = connection.createStatement()) {
            statement.execute(TABLE);
            statement.execute(BY_DEFAULT);
            statement.execute(SENDER_INDEX);
        } catch (SQLException e) {
            journal.close();
            throw unreadable(url.get(), e);
        }
        this.mover = work.add("intake-journal", Duration.ofMillis(200), this::moveStep);
    }

    /**
     * Whether a journal exists beside this H2 database (this node's settings aside), checked without creating one. One
     * that exists but cannot be opened stops the start, as when the journal is on.
     */
    private static boolean leftOver(String url, Environment environment) {
        try (var ignored = java.sql.DriverManager.getConnection(url + ";IFEXISTS=TRUE",
                environment.getProperty("spring.datasource.username", "sa"),
                environment.getProperty("spring.datasource.password", ""))) {
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS) {
                return false;
            }
            throw unreadable(url, e);
        }
    }

    /**
     * The node does not start on a journal it cannot open (a file torn by a power cut, say): what is in it was
     * acknowledged to the channels, which will not send it again, so going on without it would drop it unseen.
     */
    private static IntakeJournalUnreadable unreadable(String url, Exception cause) {
        var end = url.indexOf(';');
        return new IntakeJournalUnreadable(end < 0 ? url : url.substring(0, end), cause);
    }

    /** Whether this node takes its webhooks' updates in through the journal. */
    boolean active() {
        return appending;
    }

    /**
     * Commits these rows (the values of {@link InboundUpdates#INSERT}) to the journal in one transaction; for each,
     * whether it was new: false when its key was moved already, or is in the journal, or earlier in the same rows.
     */
    boolean[] append(List<Object[]> rows) {
        var inserted = new boolean[rows.size()];
        locks.delete().lock();
        try {
            var moved = movedAlready(rows);
            try (var connection = journal.getConnection()) {
                connection.setAutoCommit(false);
                try (var insert = connection.prepareStatement(APPEND)) {
                    var indexes = new ArrayList<Integer>(rows.size());
                    for (int i = 0; i < rows.size(); i++) {
                        if (moved.contains(key(rows.get(i)))) {
                            continue;
                        }
                        var values = rows.get(i);
                        for (int v = 0; v < values.length; v++) {
                            insert.setObject(v + 1, values[v]);
                        }
                        insert.addBatch();
                        indexes.add(i);
                    }
                    if (!indexes.isEmpty()) {
                        var counts = insert.executeBatch();
                        for (int i = 0; i < indexes.size(); i++) {
                            // a driver may answer SUCCESS_NO_INFO (-2) for a row of a batch; only 0 means "already there"
                            inserted[indexes.get(i)] = counts[i] != 0;
                        }
                    }
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Intake journal commit failed: " + e.getClass().getSimpleName());
        } finally {
            locks.delete().unlock();
        }
        mover.wake();
        return inserted;
    }

    /** The keys among these rows' that are in {@code inbound_update} already. */
    private Set<List<Object>> movedAlready(List<Object[]> rows) {
        var sql = """
                select u.channel, u.endpoint, u.idempotency_key
                from (values %s) k (channel, endpoint, idempotency_key)
                join inbound_update u on u.channel = k.channel and u.endpoint = k.endpoint
                  and u.idempotency_key = k.idempotency_key"""
                .formatted(String.join(", ", Collections.nCopies(rows.size(),
                        "(cast(? as varchar(16)), cast(? as varchar(64)), cast(? as varchar(128)))")));
        var params = new Object[rows.size() * 3];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, params, i * 3, 3);
        }
        return new HashSet<>(main.query(sql, (ResultSet rs, int n) -> List.<Object>of(rs.getString(1), rs.getString(2),
                rs.getString(3)), params));
    }

    private static List<Object> key(Object[] values) {
        return List.of(values[0], values[1], values[2]);
    }

    /** One run of the moving job: a move, unless a flood is on and processing has enough to do without it. */
    boolean moveStep() {
        var wait = lastMove + MOVE_INTERVAL.toNanos() - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the moves, not synchronisation
        }
        if (intakeFirst.busy() && servedBacklogAtLeast(FLOOD_BACKLOG)) {
            // looks again when woken by a later commit, paced as a move is, or after the poll interval
            lastMove = System.nanoTime();
            return false;
        }
        var moved = moveOnce();
        lastMove = System.nanoTime();
        return moved > 0;
    }

    /**
     * Whether the oldest {@code updates} updates pending in {@code inbound_update} are all of endpoints this node
     * serves (reads at most that many): when updates of an endpoint no node serves are among them, processing has
     * fewer to do than that, and the moves go on.
     */
    boolean servedBacklogAtLeast(int updates) {
        var served = adapters.getObject().served();
        if (served.isEmpty()) {
            return false;
        }
        var params = new ArrayList<Object>(1 + served.size() * 2);
        params.add(updates);
        served.forEach(endpoint -> {
            params.add(endpoint.channel());
            params.add(endpoint.endpoint());
        });
        return main.queryForObject("""
                select count(*) from (
                  select channel, endpoint from inbound_update where state = 'PENDING' order by state, id limit ?) p
                where %s""".formatted(String.join(" or ", Collections.nCopies(served.size(),
                "(p.channel = ? and p.endpoint = ?)"))), Long.class, params.toArray()) >= updates;
    }

    /**
     * Moves the oldest updates of the journal (up to {@link #MOVE_BATCH}) into {@code inbound_update}, in order, and
     * wakes the inbound workers. Returns how many left the journal.
     */
    int moveOnce() {
        if (journal == null) {
            return 0;
        }
        locks.move().lock();
        try {
            var rows = oldest();
            if (rows.isEmpty()) {
                return 0;
            }
            var moved = insertIntoMain(rows);
            if (moved.isEmpty()) {
                return 0;
            }
            locks.delete().lock();
            try (var connection = journal.getConnection()) {
                delete(connection, moved);
            } finally {
                locks.delete().unlock();
            }
            workers.ifAvailable(ChannelWorkers::wakeInbound);
            return moved.size();
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Intake journal move failed: " + e.getClass().getSimpleName());
        } finally {
            locks.move().unlock();
        }
    }

    private record Journaled(long id, Object[] values) {
    }

    private List<Journaled> oldest() throws SQLException {
        var rows = new ArrayList<Journaled>();
        try (var connection = journal.getConnection();
                var select = connection.prepareStatement("""
                        select id, channel, endpoint, idempotency_key, sender_ref, data_key_id, payload_enc, state, received_at
                        from intake_update order by id limit ?""")) {
            select.setInt(1, MOVE_BATCH);
            try (var result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Journaled(result.getLong(1), new Object[] {result.getString(2), result.getString(3),
                            result.getString(4), result.getBytes(5), result.getObject(6, UUID.class), result.getBytes(7),
                            result.getString(8), result.getObject(9, OffsetDateTime.class)}));
                }
            }
        }
        return rows;
    }

    /** Inserts the rows in one transaction, or, if that fails, each on its own; returns the ids that went in. */
    private List<Long> insertIntoMain(List<Journaled> rows) {
        try {
            mainTransaction.executeWithoutResult(status -> main.batchUpdate(InboundUpdates.INSERT, rows, rows.size(),
                    (PreparedStatement statement, Journaled row) -> setValues(statement, row.values())));
            return rows.stream().map(Journaled::id).toList();
        } catch (org.springframework.dao.DataIntegrityViolationException batch) {
            // a row the main database refuses (only on its own, so the others go in); anything else, a database
            // away, fails the move, to be tried again after the background work's pause
            var moved = new ArrayList<Long>(rows.size());
            var failed = 0;
            Class<?> failure = batch.getClass();
            for (var row : rows) {
                try {
                    main.update(InboundUpdates.INSERT, row.values());
                    moved.add(row.id());
                } catch (RuntimeException single) {
                    failed++;
                    failure = single.getClass();
                }
            }
            if (failed > 0) {
                log.warn("{} updates could not be moved from the intake journal ({}); they are tried again", failed,
                        failure.getSimpleName());
            }
            return moved;
        }
    }

    private static void setValues(PreparedStatement statement, Object[] values) throws SQLException {
        for (int v = 0; v < values.length; v++) {
            statement.setObject(v + 1, values[v]);
        }
    }

    private static void delete(Connection connection, List<Long> ids) throws SQLException {
        connection.setAutoCommit(false);
        try (var delete = connection.prepareStatement("delete from intake_update where id = ?")) {
            for (var id : ids) {
                delete.setLong(1, id);
                delete.addBatch();
            }
            delete.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Whether an update of this sender waits in the journal (asked before {@code inbound_update}: see the class). */
    boolean pendingFor(byte[] senderRef) {
        if (journal == null) {
            return false;
        }
        try (var connection = journal.getConnection();
                var select = connection.prepareStatement("select 1 from intake_update where sender_ref = ? limit 1")) {
            select.setBytes(1, senderRef);
            try (var result = select.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Intake journal read failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Removes what this sender sent that waits in the journal; no move is under way meanwhile, so what a move took
     * is in {@code inbound_update} by now, for the caller to remove there.
     */
    int discardPending(byte[] senderRef) {
        if (journal == null) {
            return 0;
        }
        locks.move().lock();
        try (var connection = journal.getConnection();
                var delete = connection.prepareStatement("delete from intake_update where sender_ref = ?")) {
            delete.setBytes(1, senderRef);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Intake journal delete failed: " + e.getClass().getSimpleName());
        } finally {
            locks.move().unlock();
        }
    }

    /** How many updates wait in the journal. */
    long waiting() {
        if (journal == null) {
            return 0;
        }
        try (var connection = journal.getConnection(); var statement = connection.createStatement();
                var result = statement.executeQuery("select count(*) from intake_update")) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Intake journal read failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        if (journal != null) {
            journal.close();
        }
    }
}
