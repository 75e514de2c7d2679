package org.lifeline.platform;

import java.util.ArrayList;
import java.util.List;

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
        private final List<Object[]> rows = new ArrayList<>();
        private boolean registered;
        /** Written at the commit: whatever comes after goes in at once. */
        private boolean committing;
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
        if (!queue.rows.isEmpty()) {
            var rows = List.copyOf(queue.rows);
            queue.rows.clear();
            jdbc.batchUpdate(insert, rows);
        }
    }
}
