package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.lifeline.channels.ChannelAdapter;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.MessageId;
import org.lifeline.platform.PlatformSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The background threads of this node: inbound processors and the outbox dispatcher. Each waits for a wake-up
 * from this node (a webhook stored an update, a transaction queued a message) or polls the database briefly,
 * which picks up work queued by other nodes.
 */
@Component
class ChannelWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChannelWorkers.class);
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

    private final PlatformSettings settings;
    private final ObjectProvider<InboundProcessor> inbound;
    private final ObjectProvider<OutboxDispatcher> dispatcher;
    private final ObjectProvider<OutboxMessages> outbox;
    private final ObjectProvider<AttachmentFetcher> attachments;
    private final ObjectProvider<ConversationManagement> conversations;
    private final List<ChannelAdapter> adapters;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final Semaphore inboundSignal = new Semaphore(0);
    private final Semaphore outboundSignal = new Semaphore(0);
    private final Semaphore attachmentSignal = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    ChannelWorkers(PlatformSettings settings, ObjectProvider<InboundProcessor> inbound,
            ObjectProvider<OutboxDispatcher> dispatcher, ObjectProvider<OutboxMessages> outbox,
            ObjectProvider<AttachmentFetcher> attachments,
            ObjectProvider<ConversationManagement> conversations, List<ChannelAdapter> adapters, Clock clock,
            PlatformTransactionManager transactions) {
        this.settings = settings;
        this.inbound = inbound;
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.attachments = attachments;
        this.conversations = conversations;
        this.adapters = adapters;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    void wakeInbound() {
        inboundSignal.release();
    }

    void wakeDispatcher() {
        outboundSignal.release();
    }

    @Override
    public synchronized void start() {
        if (running || !settings.backgroundWork()) {
            return;
        }
        running = true;
        for (var adapter : adapters) {
            for (var endpoint : adapter.endpoints()) {
                dispatcher.getObject().register(adapter.type(), endpoint);
            }
        }
        for (int i = 0; i < 2; i++) {
            threads.add(Thread.ofPlatform().name("inbound-" + i).daemon().start(this::processInbound));
        }
        threads.add(Thread.ofPlatform().name("outbox-dispatcher").daemon().start(this::dispatchOutbound));
        threads.add(Thread.ofPlatform().name("attachment-fetcher").daemon().start(this::fetchAttachments));
    }

    private void processInbound() {
        while (running) {
            try {
                if (!inbound.getObject().processNext()) {
                    inboundSignal.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                pauseAfter(e, inboundSignal);
            }
        }
    }

    private void dispatchOutbound() {
        var lastSweep = clock.instant();
        while (running) {
            try {
                var sent = 0;
                for (var adapter : adapters) {
                    for (var endpoint : adapter.endpoints()) {
                        sent += dispatcher.getObject().dispatch(adapter, endpoint);
                    }
                }
                if (clock.instant().isAfter(lastSweep.plus(Duration.ofMinutes(1)))) {
                    failAbandoned();
                    lastSweep = clock.instant();
                }
                if (sent == 0) {
                    outboundSignal.tryAcquire(POLL.toMillis() / 4, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                pauseAfter(e, outboundSignal);
            }
        }
    }

    private void fetchAttachments() {
        while (running) {
            try {
                if (!attachments.getObject().fetchNext()) {
                    attachmentSignal.tryAcquire(POLL.toMillis() * 5, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                pauseAfter(e, attachmentSignal);
            }
        }
    }

    void failAbandoned() {
        transaction.executeWithoutResult(status -> {
            for (var message : outbox.getObject().failAbandoned(clock.instant().minus(ABANDONED_AFTER))) {
                if (message != null) {
                    conversations.getObject().updateDelivery(new MessageId(message), DeliveryState.FAILED, "uncertain");
                }
            }
        });
    }

    /** A database that went away must not spin the thread: wait a little and try again. */
    private void pauseAfter(RuntimeException e, Semaphore signal) {
        log.warn("Channel worker {} failed, retrying: {}", Thread.currentThread().getName(), e.getClass().getSimpleName());
        try {
            signal.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        inboundSignal.release(threads.size());
        outboundSignal.release(threads.size());
        attachmentSignal.release(threads.size());
        for (var thread : threads) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
