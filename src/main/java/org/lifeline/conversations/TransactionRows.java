package org.lifeline.conversations;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows of {@code conversation} and {@code contact} that a transaction has read already, so that reading one again in the same transaction costs no
 * statement: processing one update reads its conversation and contact several times, each through another module's
 * call. Only within a transaction, and only in the transaction that read them: a transaction started inside it
 * ({@code REQUIRES_NEW}, on its own connection) reads the database. Every write to either table through its
 * repository forgets them all (a conversation's row carries its contact's key and state), so the transaction reads
 * its own writes. Rows are kept by their id ({@link ConversationId}, {@link ContactId}). A savepoint rolled back
 * would leave in memory a row read after a write inside it: the one savepoint around a write here (a new contact's
 * insert, which may meet a duplicate) reads nothing after it.
 */
@Component
class TransactionRows {

    private final DataSource dataSource;
    /** The key of these rows among the transaction's resources. */
    private final Object resource = new Object();

    TransactionRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Held(Object connection, Map<Object, Optional<?>> rows) {
    }

    /** The row as this transaction read it before, or as {@code read} reads it now. */
    @SuppressWarnings("unchecked")
    <K, V> Optional<V> get(K id, Function<K, Optional<V>> read) {
        var rows = rows();
        if (rows == null) {
            return read.apply(id);
        }
        var known = (Optional<V>) rows.get(id);
        if (known == null) {
            known = read.apply(id);
            rows.put(id, known);
        }
        return known;
    }

    /** A row this transaction just read (locking it, say), kept as the latest. */
    void put(Object id, Optional<?> row) {
        var rows = rows();
        if (rows != null) {
            rows.put(id, row);
        }
    }

    /** Before a write: what was read may no longer be so. */
    void forget() {
        if (TransactionSynchronizationManager.getResource(resource) instanceof Held held) {
            held.rows().clear();
        }
    }

    private Map<Object, Optional<?>> rows() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        var connection = TransactionSynchronizationManager.getResource(dataSource);
        if (connection == null) {
            return null;
        }
        var held = (Held) TransactionSynchronizationManager.getResource(resource);
        if (held == null) {
            held = new Held(connection, new HashMap<>());
            TransactionSynchronizationManager.bindResource(resource, held);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(resource);
                }
            });
            return held.rows();
        }
        return held.connection() == connection ? held.rows() : null;
    }
}
