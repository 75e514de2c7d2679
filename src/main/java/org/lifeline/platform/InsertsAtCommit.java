package org.lifeline.platform;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The rows of one insert statement that a transaction writes just before it commits, in one JDBC batch, in the order
 * they were queued: one round trip for the answers of a whole batch of updates instead of one each. Until then no
 * other transaction could see them anyway; a statement of the same transaction that must see them asks for them to
 * be written first ({@link #writeQueued()}), which the repository owning the table does before each of its own. A
 * rolled-back transaction writes nothing. Outside a transaction, or in a transaction of its own inside another, a
 * row is inserted at once; so is a row queued once the transaction's queue has been written at its commit (by
 * another synchronization's {@code beforeCommit} that runs after this one's), which would otherwise never be written.
 * A savepoint rolled back ({@code PROPAGATION_NESTED}) takes the rows queued since with it, written yet or not, and
 * keeps those queued before, written again if the database took them back with it.
 */
public final class InsertsAtCommit {

    private final JdbcTemplate jdbc;
    private final String insert;
    private final TransactionScoped<Queue> queued;

    public InsertsAtCommit(DataSource dataSource, JdbcTemplate jdbc, String insert) {
        this.jdbc = jdbc;
        this.insert = insert;
        this.queued = new TransactionScoped<>(dataSource, Queue::new);
    }

    private static final class Queue {
        /**
         * The rows queued, the first {@code written} of them in the database already. Written rows are dropped while
         * no savepoint is known that may take them back (Spring tells when one is made and rolled back to, not when
         * it is released: a transaction with one keeps them until it ends).
         */
        private final List<Object[]> rows = new ArrayList<>();
        private int written;
        /** Per savepoint made since the queue was: how many rows were queued, and how many written, when it was. */
        private final Map<Object, int[]> savepoints = new IdentityHashMap<>();
        private boolean registered;
        /** Written at the commit: whatever comes after goes in at once. */
        private boolean committing;

        /**
         * Back to the savepoint: the rows queued since are dropped, and those written since but queued before are
         * queued again (the database takes them back). A queue made after the savepoint keeps nothing. The
         * savepoints made after it go with it.
         */
        private void rollBackTo(Object savepoint) {
            var mark = savepoints.getOrDefault(savepoint, new int[] {0, 0});
            rows.subList(mark[0], rows.size()).clear();
            written = Math.min(written, mark[1]);
            savepoints.values().removeIf(later -> later[0] > mark[0] || later[1] > mark[1]);
            savepoints.remove(savepoint);
        }
    }

    /** Queues a row of the statement's parameters, or inserts it now outside a transaction. */
    public void insert(Object... row) {
        var queue = queued.get();
        if (queue == null || queue.committing) {
            jdbc.update(insert, row);
            return;
        }
        if (!queue.registered) {
            queue.registered = true;
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    queue.committing = true;
                    write(queue);
                }

                @Override
                public void savepoint(Object savepoint) {
                    queue.savepoints.put(savepoint, new int[] {queue.rows.size(), queue.written});
                }

                @Override
                public void savepointRollback(Object savepoint) {
                    queue.rollBackTo(savepoint);
                }
            });
        }
        queue.rows.add(row);
    }

    /** Writes what this transaction queued and has not written yet: before a statement that must find it. */
    public void writeQueued() {
        var queue = queued.current();
        if (queue != null) {
            write(queue);
        }
    }

    private void write(Queue queue) {
        if (queue.written < queue.rows.size()) {
            var rows = List.copyOf(queue.rows.subList(queue.written, queue.rows.size()));
            queue.written = queue.rows.size();
            jdbc.batchUpdate(insert, rows);
        }
        if (queue.savepoints.isEmpty()) {
            queue.rows.clear();
            queue.written = 0;
        }
    }
}
