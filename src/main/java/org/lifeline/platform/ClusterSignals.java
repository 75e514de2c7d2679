package org.lifeline.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Signals between the nodes, through the database, for "something changed, look again": a signal sent in a
 * transaction reaches the subscribers on every node once that transaction commits, and never if it rolls back. On
 * PostgreSQL it is a {@code NOTIFY} (delivered at commit), heard by one listening connection per node; on the
 * embedded database there is one node, and subscribers are called after the commit. A signal carries nothing:
 * subscribers read what they may see.
 */
@Component
public class ClusterSignals implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterSignals.class);
    /** Channel names go into {@code LISTEN} as they are: identifiers only. */
    private static final Pattern NAME = Pattern.compile("[a-z_]{1,63}");
    /** How long the listener waits for a notification before looking for new channels or whether to stop. */
    private static final int LISTEN_MILLIS = 1_000;
    private static final int RECONNECT_MILLIS = 5_000;

    private final Map<String, List<Runnable>> subscribers = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final boolean postgres;
    private volatile Thread listener;
    private volatile boolean running;

    ClusterSignals(DataSource dataSource, JdbcClient jdbc) throws SQLException {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        try (var connection = dataSource.getConnection()) {
            postgres = connection.isWrapperFor(PGConnection.class);
        }
    }

    /** Calls {@code subscriber} (on a thread of this class's) for every signal on the channel, from any node. */
    public void subscribe(String channel, Runnable subscriber) {
        subscribers.computeIfAbsent(checked(channel), name -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    /**
     * Signals the channel to every node once the current transaction commits (at once outside one). A transaction
     * sends each channel's signal once, however often it asks: an inbound update that opens a conversation, records
     * a message and queues three answers costs one {@code NOTIFY}, not five round trips.
     */
    public void signal(String channel) {
        checked(channel);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            send(channel);
            return;
        }
        for (var synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof AtCommit pending && pending.channel.equals(channel)) {
                return;
            }
        }
        TransactionSynchronizationManager.registerSynchronization(new AtCommit(channel));
    }

    private void send(String channel) {
        if (postgres) {
            jdbc.sql("select pg_notify(?, '')").param(channel).query().singleValue();
        } else {
            deliver(channel);
        }
    }

    /**
     * One channel's signal in one transaction: on PostgreSQL the {@code NOTIFY} goes out in the transaction just
     * before it commits (and is delivered by the commit); on the embedded database the subscribers hear it after.
     */
    private final class AtCommit implements TransactionSynchronization {

        private final String channel;

        AtCommit(String channel) {
            this.channel = channel;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            if (postgres) {
                send(channel);
            }
        }

        @Override
        public void afterCommit() {
            if (!postgres) {
                deliver(channel);
            }
        }
    }

    /** Whether signals go between nodes (PostgreSQL) rather than stay in this one node (the embedded database). */
    public boolean betweenNodes() {
        return postgres;
    }

    /**
     * Calls every subscriber of the channel; one that fails is logged (its exception's class only) and the others
     * still hear the signal, as does every later one: the listening thread must outlive a subscriber's failure.
     */
    private void deliver(String channel) {
        for (var subscriber : subscribers.getOrDefault(channel, List.of())) {
            try {
                subscriber.run();
            } catch (RuntimeException e) {
                log.error("A subscriber to signal {} failed: {}", channel, e.getClass().getName());
            }
        }
    }

    private static String checked(String channel) {
        if (!NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("A signal channel is lower-case letters and underscores: " + channel);
        }
        return channel;
    }

    @Override
    public void start() {
        running = true;
        if (postgres) {
            // assigned before it starts: the thread ends as soon as it finds itself no longer the listener, and a
            // thread started first could look before the assignment and end at once, leaving the node deaf
            var thread = Thread.ofPlatform().daemon().name("cluster-signals").unstarted(this::listen);
            listener = thread;
            thread.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        var thread = listener;
        listener = null;
        if (thread != null) {
            // it sees this within LISTEN_MILLIS, or fails quietly when the pool closes under it
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Holds one connection listening to every subscribed channel; after a database failure it opens a new one. */
    private void listen() {
        var self = Thread.currentThread();
        while (listener == self) {
            try (Connection connection = dataSource.getConnection()) {
                var listening = new HashSet<String>();
                var pg = connection.unwrap(PGConnection.class);
                while (listener == self) {
                    for (var channel : subscribers.keySet()) {
                        if (listening.add(channel)) {
                            try (var statement = connection.createStatement()) {
                                statement.execute("listen " + channel);
                            }
                        }
                    }
                    var notifications = pg.getNotifications(LISTEN_MILLIS);
                    if (notifications != null) {
                        for (var notification : notifications) {
                            deliver(notification.getName());
                        }
                    }
                }
            } catch (SQLException e) {
                if (listener != self) {
                    return;
                }
                log.warn("Signals between nodes lost their database connection, reconnecting: {}", e.getClass().getSimpleName());
                try {
                    Thread.sleep(RECONNECT_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
