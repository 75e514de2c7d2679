package org.lifeline.console.web;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.lifeline.cases.CaseOpened;
import org.lifeline.cases.CaseStatusChanged;
import org.lifeline.conversations.ConversationOpened;
import org.lifeline.conversations.InboundMessageRecorded;
import org.lifeline.conversations.OutboundMessageRecorded;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Tells open consoles that the queue changed, as server-sent events carrying no data (the page fetches what it may
 * see). On PostgreSQL a change on any node is announced with {@code NOTIFY} and every node's listener thread passes
 * it to its own browsers; on the embedded database there is one node, so the change goes straight to them.
 */
@Component
class ConsoleEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsoleEvents.class);
    static final String CHANNEL = "lifeline_console";
    /** Browsers reconnect on their own after this; it bounds how long a dead connection is held. */
    private static final Duration EMITTER_TIMEOUT = Duration.ofMinutes(10);
    private static final int POLL_MILLIS = 5_000;

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final boolean postgres;
    private volatile Thread listener;

    ConsoleEvents(DataSource dataSource, JdbcClient jdbc) throws SQLException {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        try (var connection = dataSource.getConnection()) {
            postgres = connection.isWrapperFor(PGConnection.class);
        }
    }

    SseEmitter subscribe() {
        var emitter = new SseEmitter(EMITTER_TIMEOUT.toMillis());
        emitters.add(emitter);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(emitter::complete);
        emitter.onError(e -> emitters.remove(emitter));
        return emitter;
    }

    @EventListener
    void on(ConversationOpened event) {
        changed();
    }

    @EventListener
    void on(InboundMessageRecorded event) {
        changed();
    }

    @EventListener
    void on(OutboundMessageRecorded event) {
        changed();
    }

    @EventListener
    void on(CaseOpened event) {
        changed();
    }

    @EventListener
    void on(CaseStatusChanged event) {
        changed();
    }

    /**
     * Browsers hear of a change only once it is committed, so that the page they fetch shows it: PostgreSQL delivers
     * a NOTIFY sent in the transaction at its commit (and drops it on rollback); here it waits for the commit.
     */
    private void changed() {
        if (postgres) {
            jdbc.sql("select pg_notify('" + CHANNEL + "', '')").query().singleValue();
        } else if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    broadcast();
                }
            });
        } else {
            broadcast();
        }
    }

    private void broadcast() {
        for (var emitter : emitters) {
            try {
                emitter.send(SseEmitter.event().name("queue").data(""));
            } catch (IOException | IllegalStateException e) {
                emitters.remove(emitter);
            }
        }
    }

    @Override
    public void start() {
        if (postgres) {
            listener = Thread.ofPlatform().daemon().name("console-events").start(this::listen);
        }
    }

    @Override
    public void stop() {
        var thread = listener;
        listener = null;
        if (thread != null) {
            thread.interrupt();
        }
        emitters.forEach(SseEmitter::complete);
    }

    @Override
    public boolean isRunning() {
        return listener != null;
    }

    /** Holds one connection listening; after a database failure it opens a new one. */
    private void listen() {
        while (listener != null) {
            try (Connection connection = dataSource.getConnection()) {
                try (var statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                var pg = connection.unwrap(PGConnection.class);
                while (listener != null) {
                    var notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        broadcast();
                    }
                }
            } catch (SQLException e) {
                if (listener == null) {
                    return;
                }
                log.warn("Console live updates lost their database connection, reconnecting: {}", e.getMessage());
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
