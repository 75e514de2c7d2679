package org.lifeline.platform;

import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A value that lives as long as the current transaction on the application's database, created at its first use
 * (what a transaction has read or written already, kept so that reading it again costs no statement). A transaction
 * started inside it ({@code REQUIRES_NEW}, on a connection of its own) has no value: Spring suspends the outer
 * transaction's connection but not a resource bound like this one, so the value is tied to the connection it was
 * made for.
 */
public final class TransactionScoped<T> {

    private final DataSource dataSource;
    private final Supplier<T> create;
    /** The key of the value among the transaction's resources. */
    private final Object resource = new Object();

    public TransactionScoped(DataSource dataSource, Supplier<T> create) {
        this.dataSource = dataSource;
        this.create = create;
    }

    private record Held(Object connection, Object value) {
    }

    /**
     * This transaction's value, made now if it has none yet; null outside a transaction, or in a transaction of
     * its own inside the one that made it.
     */
    @SuppressWarnings("unchecked")
    public T get() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        var connection = TransactionSynchronizationManager.getResource(dataSource);
        if (connection == null) {
            return null;
        }
        if (TransactionSynchronizationManager.getResource(resource) instanceof Held held) {
            return held.connection() == connection ? (T) held.value() : null;
        }
        var value = create.get();
        TransactionSynchronizationManager.bindResource(resource, new Held(connection, value));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(resource);
            }
        });
        return value;
    }

    /**
     * This transaction's value if it made one, without making one; null outside a transaction, or in a transaction
     * of its own inside the one that made it.
     */
    @SuppressWarnings("unchecked")
    public T current() {
        if (!(TransactionSynchronizationManager.getResource(resource) instanceof Held held)) {
            return null;
        }
        return held.connection() == TransactionSynchronizationManager.getResource(dataSource) ? (T) held.value() : null;
    }

    /**
     * The value made by the transaction under way on this thread, whichever connection it is for (an outer
     * transaction's too), without making one; null if there is none.
     */
    @SuppressWarnings("unchecked")
    public T existing() {
        return TransactionSynchronizationManager.getResource(resource) instanceof Held held ? (T) held.value() : null;
    }
}
