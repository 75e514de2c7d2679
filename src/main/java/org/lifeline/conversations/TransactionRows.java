package org.lifeline.conversations;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import org.lifeline.platform.TransactionScoped;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows of {@code conversation} and {@code contact} that a transaction has read already, so that reading one again in the same transaction costs no
 * statement: processing one update reads its conversation and contact several times, each through another module's
 * call. Only within a transaction, and only in the transaction that read them: a transaction started inside it
 * ({@code REQUIRES_NEW}, on its own connection) reads the database. A write to a row through its repository forgets
 * that row, and a write that changes several rows or a contact's key or state (which a conversation's row carries)
 * forgets them all, so the transaction reads its own writes. Rows are kept by their id ({@link ConversationId},
 * {@link ContactId}). A savepoint rolled back would leave in memory a row read after a write inside it: the one
 * savepoint around a write here (a new contact's insert, which may meet a duplicate) reads nothing after it.
 * <p>
 * A conversation's last activity is written once a transaction, just before it commits ({@link #touchLater}):
 * recording a message, resuming the conversation and queuing the flow's answers each marked it active, three
 * updates of one row an update processed, and a batch of updates writes them all in one batched statement.
 */
@Component
class TransactionRows {

    private final TransactionScoped<Held> scope;

    TransactionRows(DataSource dataSource) {
        this.scope = new TransactionScoped<>(dataSource,
                () -> new Held(new HashMap<>(), new HashMap<>(), new HashSet<>()));
    }

    private record Held(Map<Object, Optional<?>> rows, Map<ConversationId, Instant> touched, Set<Object> locked) {
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

    /** A row this transaction just read with a lock ({@code for update}): held until it ends, kept as the latest. */
    void putLocked(Object id, Optional<?> row) {
        var held = held();
        if (held != null) {
            held.rows().put(id, row);
            held.locked().add(id);
        }
    }

    /**
     * The row as kept, if this transaction locked it and has not written it since; null when it must be read (and
     * locked) again.
     */
    @SuppressWarnings("unchecked")
    <V> Optional<V> locked(Object id) {
        var held = held();
        return held != null && held.locked().contains(id) ? (Optional<V>) held.rows().get(id) : null;
    }

    /** Before a write to several rows, or to what a conversation's row carries of its contact: all may have changed. */
    void forget() {
        if (scope.existing() instanceof Held existing) {
            existing.rows().clear();
        }
    }

    /** Before a write to this row alone. */
    void forget(Object id) {
        if (scope.existing() instanceof Held existing) {
            existing.rows().remove(id);
        }
    }

    /** A row kept changed as this transaction changes it in the database, if it is kept. */
    @SuppressWarnings("unchecked")
    <V> void change(Object id, UnaryOperator<V> change) {
        var rows = rows();
        if (rows != null) {
            rows.computeIfPresent(id, (key, row) -> ((Optional<V>) row).map(change));
        }
    }

    /**
     * Keeps the conversation's last activity to be written just before this transaction commits, with the latest
     * time it was given, by {@code write} (all the transaction's conversations at once, in id order so that two
     * transactions never wait for each other's rows in turn). Nothing is written if the transaction rolls back.
     *
     * @return false outside a transaction of this connection: the caller writes it at once
     */
    boolean touchLater(ConversationId id, Instant at, Consumer<Map<ConversationId, Instant>> write) {
        var held = held();
        if (held == null) {
            return false;
        }
        if (held.touched().isEmpty()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    if (!held.touched().isEmpty()) {
                        var inOrder = new TreeMap<ConversationId, Instant>(Comparator.comparing(ConversationId::value));
                        inOrder.putAll(held.touched());
                        write.accept(inOrder);
                        held.touched().clear();
                    }
                }
            });
        }
        held.touched().merge(id, at, (a, b) -> a.isAfter(b) ? a : b);
        return true;
    }

    /** The last activity this transaction gave the conversation and will write before it commits, if any. */
    Optional<Instant> touched(ConversationId id) {
        var held = held();
        return held == null ? Optional.empty() : Optional.ofNullable(held.touched().get(id));
    }

    private Map<Object, Optional<?>> rows() {
        var held = held();
        return held == null ? null : held.rows();
    }

    private Held held() {
        return scope.get();
    }
}
