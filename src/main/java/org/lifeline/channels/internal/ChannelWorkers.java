package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.lifeline.channels.ChannelAdapter;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.MessageId;
import org.lifeline.platform.BackgroundWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The channels' jobs in this node's {@link BackgroundWork}: inbound processors, an outbox dispatcher per endpoint,
 * the sweep of abandoned sends and the attachment fetcher. Each waits for a wake-up from this node (a webhook stored
 * an update, a transaction queued a message) or polls the database briefly, which picks up work queued by other
 * nodes. A new endpoint adds a dispatcher job here, not a thread of its own.
 */
@Component
class ChannelWorkers {

    static final Duration POLL = Duration.ofMillis(200);

    private final ChannelsSettings channels;
    private final ObjectProvider<OutboxMessages> outbox;
    private final ObjectProvider<ConversationManagement> conversations;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final BackgroundWork.Job inbound;
    /** One per endpoint, so that a wake-up reaches each of them. */
    private final List<BackgroundWork.Job> dispatchers = new ArrayList<>();
    /** The same, by channel: an answer queued for one channel wakes only its endpoints' dispatchers. */
    private final Map<String, List<BackgroundWork.Job>> dispatchersByChannel = new HashMap<>();
    private volatile Instant nextSweep = Instant.MIN;

    ChannelWorkers(BackgroundWork work, ChannelsSettings channels, ObjectProvider<InboundProcessor> processor,
            ObjectProvider<OutboxDispatcher> dispatcher, ObjectProvider<OutboxMessages> outbox,
            ObjectProvider<AttachmentFetcher> attachments,
            ObjectProvider<ConversationManagement> conversations, List<ChannelAdapter> adapters, Clock clock,
            PlatformTransactionManager transactions, IntakeFirst intakeFirst) {
        this.channels = channels;
        this.outbox = outbox;
        this.conversations = conversations;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        // while updates are arriving, half the workers process and the rest of the machine takes them in
        this.inbound = work.add("inbound", POLL, () -> intakeFirst.run(processor.getObject()::processNext))
                .threads(channels.inboundWorkers());
        // a job per endpoint: each waits on its own bucket, so one bot at its limit never holds back another
        var index = 0;
        for (var adapter : adapters) {
            for (var endpoint : adapter.endpoints()) {
                var job = work.add("outbox-" + adapter.type() + "-" + index++, POLL.dividedBy(4),
                        () -> dispatcher.getObject().dispatch(adapter, endpoint) > 0);
                dispatchers.add(job);
                dispatchersByChannel.computeIfAbsent(adapter.type(), type -> new ArrayList<>()).add(job);
            }
        }
        work.add("outbox-sweeper", POLL, this::sweepIfDue);
        work.add("attachment-fetcher", POLL.multipliedBy(5), () -> attachments.getObject().fetchNext());
        work.onStart(() -> {
            nextSweep = Instant.MIN;
            dispatcher.getObject().start();
            forEachEndpoint(adapters, dispatcher.getObject()::register);
            dispatcher.getObject().afterCall(this::wakeDispatcher);
        });
        // a send still under way when the grace runs out must not take back the lease given up below
        work.onStopping(() -> dispatcher.getObject().stop());
        work.onStopped(left -> {
            // the calls still in flight record their outcomes in what is left of the grace
            dispatcher.getObject().awaitCalls(left);
            forEachEndpoint(adapters, dispatcher.getObject()::release);
        });
    }

    private static void forEachEndpoint(List<ChannelAdapter> adapters, BiConsumer<String, String> action) {
        for (var adapter : adapters) {
            for (var endpoint : adapter.endpoints()) {
                action.accept(adapter.type(), endpoint);
            }
        }
    }

    void wakeInbound() {
        inbound.wake();
    }

    void wakeDispatcher() {
        dispatchers.forEach(BackgroundWork.Job::wake);
    }

    /** Wakes the dispatchers of this channel's endpoints: something was queued for one of them. */
    void wakeDispatcher(String channel) {
        dispatchersByChannel.getOrDefault(channel, List.of()).forEach(BackgroundWork.Job::wake);
    }

    /** What a stopped node left in flight is settled at start, then as it comes of age. */
    private boolean sweepIfDue() {
        if (clock.instant().isBefore(nextSweep)) {
            return false;
        }
        failAbandoned();
        var sweepEvery = channels.uncertainAfter().compareTo(Duration.ofMinutes(1)) < 0 ? channels.uncertainAfter() : Duration.ofMinutes(1);
        nextSweep = clock.instant().plus(sweepEvery);
        return false;
    }

    void failAbandoned() {
        transaction.executeWithoutResult(status -> {
            for (var message : outbox.getObject().failAbandoned(clock.instant().minus(channels.uncertainAfter()))) {
                if (message != null) {
                    conversations.getObject().updateDelivery(new MessageId(message), DeliveryState.FAILED, "uncertain");
                }
            }
        });
    }
}
