package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.lifeline.channels.ChannelAdapter;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.channels.EndpointLeases;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due outbox messages of one endpoint. One node at a time sends for an endpoint (it holds the endpoint's
 * {@link EndpointLeases lease}; the others skip it), so the endpoint's rate limit holds across nodes. No transaction
 * and no pooled connection is held while a channel is called: each message is claimed (marked in flight) in one
 * short transaction, sent, and its outcome recorded in another. Because the claim commits before the request goes
 * out, a crash can never make a message go out twice; one left in flight is failed as "uncertain" (see
 * {@link OutboxMessages#failAbandoned}). Several calls to an endpoint may be in flight at once (a bounded number,
 * to different recipients), so a crash leaves at most that many uncertain per endpoint.
 * <p>
 * While the dispatcher works through a backlog, an outcome that comes back is recorded in the transaction of its
 * next claim rather than in one of its own: one commit for a group of messages instead of one each (28 a second at
 * a bot's full rate, each of them on H2 a write of every page changed since the last). The call gives back its slot
 * when it hands its outcome over; the dispatcher takes the slot and records that outcome in the same transaction as
 * the claim that reuses it, so the messages in flight in the database never outnumber the slots, and a crash still
 * leaves at most that many uncertain. What cannot wait is recorded at once: a 429 that pauses the whole endpoint, a
 * recipient gone, an answer someone waits for on the spot ({@link ChannelAdapter#sendersWait()}, the web chat), the
 * outcomes of an endpoint slower than {@link #HOLDS_OUTCOMES_FROM} a second (an SMS number), and every outcome once
 * the dispatcher has nothing more to claim.
 */
@Component
class OutboxDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    /** The oldest pending messages of an endpoint one round looks at. */
    static final int BATCH = 50;
    /** The most messages claimed in one transaction (fewer when fewer calls may be added in flight). */
    static final int CLAIM_GROUP = 8;
    static final int MAX_ATTEMPTS = 12;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /**
     * The slowest endpoint whose outcomes wait for the next claim to be recorded, in messages a second. An outcome
     * waits for the slots of the group being sent (at most {@link #CLAIM_GROUP}): at a bot's 28 a second under 300 ms;
     * at an SMS number's 1 a second it would be seconds, so a slow endpoint's calls record their own.
     */
    static final double HOLDS_OUTCOMES_FROM = 10;
    /** How often a sending dispatcher renews its lease; far shorter than the lease ({@code send-lease}, 15 s at least). */
    static final Duration RENEW_EVERY = Duration.ofSeconds(5);

    private final OutboxMessages messages;
    private final EndpointLeases leases;
    private final ConversationManagement conversations;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final ChannelsSettings settings;
    private final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();
    /** Channel calls: each blocks on the network, so a virtual thread each, bounded per endpoint by its semaphore. */
    private final Executor calls = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Runnable afterCall = () -> {
    };
    private final Map<String, Instant> recipientNextAllowed = new ConcurrentHashMap<>();
    /**
     * Set when the node stops: no lease is taken or renewed any more, so a send still under way when the workers'
     * grace runs out cannot take back the lease {@link #release} just gave up and hold the endpoint from the other
     * nodes for a whole lease.
     */
    private volatile boolean stopped;

    private final SenderWaits waits;

    OutboxDispatcher(OutboxMessages messages, EndpointLeases leases, ConversationManagement conversations,
            Clock clock, PlatformTransactionManager transactions, ChannelsSettings settings, SenderWaits waits) {
        this.settings = settings;
        this.waits = waits;
        this.messages = messages;
        this.leases = leases;
        this.conversations = conversations;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Makes sure the endpoint has its row (which carries the lease). */
    void register(String channel, String endpoint) {
        leases.register(channel, endpoint);
    }

    /** Sends again after {@link #stop()} (a context started anew). */
    void start() {
        stopped = false;
    }

    /** Takes no lease from now on; what is being sent finishes and is recorded. */
    void stop() {
        stopped = true;
    }

    /** Hands the endpoint to other nodes at once, when this node stops. */
    void release(String channel, String endpoint) {
        leases.release(channel, endpoint);
    }

    /**
     * Sends what is due for one endpoint; returns how many messages were handed to the channel. The calls run
     * concurrently, at most {@link ChannelsSettings#inFlightPerEndpoint()} at a time, each on a virtual thread of its
     * own: with a round trip of 100 ms, one call at a time would cap a bot at under 10 messages a second whatever its
     * limit. The endpoint's bucket still spaces the requests evenly, and a recipient's next message is only due once
     * the previous one is settled, so order and spacing per recipient do not depend on how many are in flight.
     */
    int dispatch(ChannelAdapter adapter, String endpoint) {
        var limits = adapter.limits(endpoint);
        var state = endpoints.computeIfAbsent(adapter.type() + ":" + endpoint,
                k -> new EndpointState(perSecond(limits.perEndpointPerSecond()), new Semaphore(settings.inFlightPerEndpoint())));
        // the lease is renewed every few seconds, not at every wake-up: each queued answer wakes every endpoint's
        // dispatcher, and a renewal is a committed write (on H2 a write of the store, in turn with the workers')
        if (state.paused(clock.instant()) || !state.holdsLeaseUnpaused(adapter.type(), endpoint)) {
            // this node stops, another node sends for it, or it is paused
            return 0;
        }
        return sendDue(adapter, endpoint, limits, state);
    }

    private int sendDue(ChannelAdapter adapter, String endpoint, ChannelAdapter.RateLimits limits, EndpointState state) {
        var recipientGap = Duration.ofNanos((long) (1_000_000_000L / limits.perRecipientPerSecond()));
        var due = messages.due(adapter.type(), endpoint, BATCH);
        if (limits.perEndpointPerSecond() >= HOLDS_OUTCOMES_FROM) {
            state.startTakingOver();
        }
        try {
            return sendEach(adapter, endpoint, state, due, recipientGap);
        } finally {
            // nothing more to claim this round: what came back is recorded now, and from here each call records its own
            recordNow(adapter, endpoint, state, state.stopTakingOver());
            forgetOld(recipientNextAllowed);
        }
    }

    /**
     * Claims and sends the due messages in turn, as the endpoint's pacing and its room in flight allow; returns how
     * many were handed to the channel.
     */
    private int sendEach(ChannelAdapter adapter, String endpoint, EndpointState state, List<OutboxMessages.Pending> due,
            Duration recipientGap) {
        var handed = 0;
        var next = 0;
        dispatching:
        while (next < due.size()) {
            if (state.paused(clock.instant()) || !state.holdsLease(adapter.type(), endpoint)) {
                break;
            }
            // room for at least one more call in flight, waiting for it, and for as many more as are free now; a
            // slot given back with an outcome comes with that outcome, recorded below in the claim's transaction
            int permits;
            try {
                state.inFlight().acquire();
                permits = 1;
                while (permits < CLAIM_GROUP && state.inFlight().tryAcquire()) {
                    permits++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // taken after the slots: the outcome of every slot taken above was handed over before its slot was
            var outcomes = state.handedOver();
            var group = new ArrayList<OutboxMessages.Pending>();
            while (next < due.size() && group.size() < permits) {
                var pending = due.get(next++);
                var nextAllowed = recipientNextAllowed.get(HexFormat.of().formatHex(pending.recipientRef()));
                if (nextAllowed == null || !nextAllowed.isAfter(clock.instant())) {
                    group.add(pending);
                }
            }
            // claimed (committed as in flight) together, in one transaction, before their slots: nothing but the
            // pacing then stands between a slot and its request, and a database slow to commit costs one commit
            // per group rather than per message. The group is bounded by the free room in flight, so a crash
            // still leaves at most in-flight-per-endpoint messages uncertain.
            List<OutboxMessages.Pending> claimed;
            try {
                claimed = claim(adapter, endpoint, state, outcomes, group);
            } catch (RuntimeException e) {
                state.inFlight().release(permits);
                throw e;
            }
            state.inFlight().release(permits - claimed.size());
            for (int c = 0; c < claimed.size(); c++) {
                var pending = claimed.get(c);
                var interrupted = false;
                try {
                    // the next evenly spaced slot
                    state.bucket().asBlocking().consume(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    interrupted = true;
                }
                if (interrupted || state.paused(clock.instant())) {
                    // claimed but provably never sent (a 429 paused the endpoint meanwhile): they wait again, in place
                    var until = state.pausedUntil.get().isAfter(clock.instant()) ? state.pausedUntil.get() : clock.instant();
                    for (var unsent : claimed.subList(c, claimed.size())) {
                        messages.retryAt(unsent.id(), until, "paused");
                    }
                    state.inFlight().release(claimed.size() - c);
                    break dispatching;
                }
                handed++;
                var recipientKey = HexFormat.of().formatHex(pending.recipientRef());
                calls.execute(() -> {
                    var handedOver = false;
                    try {
                        var outcome = new Outcome(pending, deliver(adapter, endpoint, pending));
                        // before the outcome commits: once it has, the recipient's next message is due
                        recipientNextAllowed.put(recipientKey, clock.instant().plus(recipientGap));
                        // its slot goes back with it: the dispatcher records it with the claim that takes the slot
                        handedOver = canWait(adapter, outcome.result()) && state.handOver(outcome);
                        if (!handedOver) {
                            recordNow(adapter, endpoint, state, List.of(outcome));
                        }
                    } finally {
                        if (!handedOver) {
                            state.inFlight().release();
                        }
                        afterCall.run();
                    }
                });
            }
        }
        return handed;
    }

    /**
     * Records the outcomes taken over and claims the group (marks it in flight), in one transaction; returns those
     * claimed. If that fails, each outcome is recorded alone, so that one that cannot be (his message erased
     * meanwhile, say) takes no other down with it, then the group is claimed alone.
     */
    private List<OutboxMessages.Pending> claim(ChannelAdapter adapter, String endpoint, EndpointState state,
            List<Outcome> outcomes, List<OutboxMessages.Pending> group) {
        if (group.isEmpty() && outcomes.isEmpty()) {
            return List.of();
        }
        if (!outcomes.isEmpty()) {
            try {
                var claimed = transaction.execute(status -> {
                    outcomes.forEach(outcome -> record(outcome.pending(), outcome.result()));
                    return markSending(group);
                });
                outcomes.forEach(outcome -> settledAfterCommit(adapter, outcome));
                return claimed;
            } catch (RuntimeException e) {
                outcomes.forEach(outcome -> recordNow(adapter, endpoint, state, List.of(outcome)));
            }
        }
        return group.isEmpty() ? List.of() : transaction.execute(status -> markSending(group));
    }

    private List<OutboxMessages.Pending> markSending(List<OutboxMessages.Pending> group) {
        return group.stream().filter(p -> messages.markSending(p.id())).toList();
    }

    /** A call's outcome, not yet recorded. */
    private record Outcome(OutboxMessages.Pending pending, DeliveryResult result) {
    }

    /**
     * Whether an outcome may wait for the dispatcher's next claim to be recorded: not a 429 that pauses the whole
     * endpoint (the pause must be in the database at once, for every node), not a recipient gone (what else waits for
     * him fails with it), not an answer a sender waits for on the spot.
     */
    private static boolean canWait(ChannelAdapter adapter, DeliveryResult result) {
        return !adapter.sendersWait() && switch (result) {
            case DeliveryResult.RetryLater r -> !r.wholeEndpoint();
            case DeliveryResult.Failed f -> !f.recipientGone();
            case DeliveryResult.Sent s -> true;
            case DeliveryResult.Uncertain u -> true;
        };
    }

    /**
     * Records outcomes in one transaction of their own. If it fails, they stay in flight and are settled as uncertain
     * ({@link OutboxMessages#failAbandoned}); logged by the exception's class only.
     */
    private void recordNow(ChannelAdapter adapter, String endpoint, EndpointState state, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        try {
            var pauseUntil = transaction.execute(status -> {
                Instant until = null;
                for (var outcome : outcomes) {
                    var pause = record(outcome.pending(), outcome.result());
                    if (pause != null && (until == null || pause.isAfter(until))) {
                        until = pause;
                    }
                }
                return until;
            });
            outcomes.forEach(outcome -> settledAfterCommit(adapter, outcome));
            if (pauseUntil != null) {
                state.pauseUntil(pauseUntil);
                messages.pause(adapter.type(), endpoint, pauseUntil);
            }
        } catch (RuntimeException e) {
            // the outcome was not recorded: the message stays in flight and is settled as uncertain
            log.warn("Recording an outbound message's outcome failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Once an outcome has committed: whoever waits for its recipient looks again. */
    private void settledAfterCommit(ChannelAdapter adapter, Outcome outcome) {
        waits.settled(adapter.type(), outcome.pending().recipientRef());
    }

    /**
     * Waits until no call of this node is in flight any more, or the deadline passes; for a node that stops, so
     * that what is settled by then is recorded while the database is still open.
     */
    void awaitCalls(Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        for (var state : endpoints.values()) {
            try {
                var all = settings.inFlightPerEndpoint();
                if (state.inFlight().tryAcquire(all, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    state.inFlight().release(all);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Called after each call has been settled, to wake the dispatcher for the recipient's next message. */
    void afterCall(Runnable wake) {
        this.afterCall = wake;
    }

    /** How many calls of this node are in flight to the endpoint now. */
    int inFlight(String channel, String endpoint) {
        var state = endpoints.get(channel + ":" + endpoint);
        return state == null ? 0 : settings.inFlightPerEndpoint() - state.inFlight().availablePermits();
    }

    /** The endpoint's pacing, its calls in flight and, after a 429, until when it waits (known at once here). */
    private final class EndpointState {

        private final Bucket bucket;
        private final Semaphore inFlight;
        private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);
        private long leaseRenewed = System.nanoTime() - RENEW_EVERY.toNanos();
        /** Outcomes handed over with their slots, for the dispatcher's next claim to record. */
        private final List<Outcome> handedOver = new ArrayList<>();
        /** Whether the dispatcher takes outcomes over: it is working through what is due. */
        private boolean takingOver;

        EndpointState(Bucket bucket, Semaphore inFlight) {
            this.bucket = bucket;
            this.inFlight = inFlight;
        }

        Bucket bucket() {
            return bucket;
        }

        Semaphore inFlight() {
            return inFlight;
        }

        /**
         * Whether this node still holds the endpoint's lease, renewed every few seconds rather than before every
         * send: a node that stalled past its lease finds more than that since the last renewal, renews, and learns
         * that another node took over.
         */
        boolean holdsLease(String channel, String endpoint) {
            if (stopped) {
                // a stopping node has released its endpoints: it neither renews nor sends any more
                return false;
            }
            return !renewalDue() || renew(channel, endpoint);
        }

        /**
         * {@link #holdsLease}, and the endpoint not paused in the database: a renewal checks both in one statement;
         * between renewals a read sees the pause.
         */
        boolean holdsLeaseUnpaused(String channel, String endpoint) {
            if (stopped) {
                return false;
            }
            return renewalDue() ? renew(channel, endpoint) : !leases.paused(channel, endpoint);
        }

        private boolean renewalDue() {
            return System.nanoTime() - leaseRenewed >= RENEW_EVERY.toNanos();
        }

        /** Takes or renews the lease, unless another node holds it or the endpoint is paused. */
        private boolean renew(String channel, String endpoint) {
            if (!leases.acquire(channel, endpoint, settings.sendLease())) {
                return false;
            }
            leaseRenewed = System.nanoTime();
            return true;
        }

        boolean paused(Instant now) {
            return pausedUntil.get().isAfter(now);
        }

        /** From now on until {@link #stopTakingOver}, calls hand their outcomes over with their slots. */
        synchronized void startTakingOver() {
            takingOver = true;
        }

        /**
         * Hands an outcome over and gives its call's slot back, for the dispatcher's next claim to take both; false
         * (the caller keeps the slot and records the outcome itself) when the dispatcher is not working through what
         * is due.
         */
        synchronized boolean handOver(Outcome outcome) {
            if (!takingOver) {
                return false;
            }
            handedOver.add(outcome);
            inFlight.release();
            return true;
        }

        /** The outcomes handed over so far, for the caller's next claim to record. */
        synchronized List<Outcome> handedOver() {
            var taken = List.copyOf(handedOver);
            handedOver.clear();
            return taken;
        }

        /** No outcome is handed over any more; returns those handed over so far, for the caller to record. */
        synchronized List<Outcome> stopTakingOver() {
            takingOver = false;
            return handedOver();
        }

        void pauseUntil(Instant until) {
            pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    private DeliveryResult deliver(ChannelAdapter adapter, String endpoint, OutboxMessages.Pending pending) {
        try {
            return adapter.deliver(endpoint, messages.recipient(pending), messages.content(pending));
        } catch (RuntimeException e) {
            return new DeliveryResult.RetryLater(null, false, e.getClass().getSimpleName());
        }
    }

    /** Records the outcome; returns until when the endpoint as a whole must wait, or null. */
    private Instant record(OutboxMessages.Pending pending, DeliveryResult outcome) {
        var message = pending.messageId() == null ? null : new MessageId(pending.messageId());
        switch (outcome) {
            case DeliveryResult.Sent s -> {
                messages.markSent(pending.id());
                if (message != null) {
                    conversations.markSent(message, s.channelMessageId());
                }
                return null;
            }
            case DeliveryResult.Failed f -> {
                messages.markFailed(pending.id(), f.code());
                if (message != null) {
                    conversations.updateDelivery(message, DeliveryState.FAILED, f.code());
                }
                if (f.recipientGone()) {
                    recipientGone(pending, message, f.code());
                }
                return null;
            }
            case DeliveryResult.Uncertain u -> {
                messages.markFailed(pending.id(), u.code());
                if (message != null) {
                    conversations.updateDelivery(message, DeliveryState.FAILED, "uncertain");
                }
                return null;
            }
            case DeliveryResult.RetryLater r -> {
                if (pending.attempts() >= MAX_ATTEMPTS) {
                    messages.markFailed(pending.id(), "gave-up:" + r.code());
                    if (message != null) {
                        conversations.updateDelivery(message, DeliveryState.FAILED, "gave-up");
                    }
                    return null;
                }
                var wait = r.retryAfter() != null ? r.retryAfter() : backoff(pending.attempts());
                var until = clock.instant().plus(wait);
                messages.retryAt(pending.id(), until, r.code());
                return r.wholeEndpoint() ? until : null;
            }
        }
    }

    /**
     * He blocked the bot, answered STOP, or is gone from the channel: his contact becomes unreachable, so nothing
     * more is sent to him ({@link Outbox#send} fails it at once) until he writes again, and what already waits for
     * him fails the same way instead of being refused one by one.
     */
    private void recipientGone(OutboxMessages.Pending pending, MessageId message, String code) {
        if (message != null) {
            conversations.markUnreachable(conversations.contactOf(message));
        }
        messages.failWaiting(pending.recipientRef(), code)
                .forEach(waiting -> conversations.updateDelivery(new MessageId(waiting), DeliveryState.FAILED, code));
    }

    /** Exponential backoff with jitter, capped: 2 s, 4 s, 8 s, … 5 min. */
    static Duration backoff(int attempts) {
        var seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(attempts, 20));
        return Duration.ofMillis(seconds * 1000 + ThreadLocalRandom.current().nextLong(250));
    }

    /**
     * Evenly spaced sends, no bursts: a full bucket of {@code rate} tokens would let {@code rate} go at once and as
     * many again within the same second, which Telegram answers with 429 (and a pause) every time the outbox fills.
     */
    private static Bucket perSecond(double rate) {
        var perSecond = Math.max(1, (long) Math.floor(rate));
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(1).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build();
    }

    private void forgetOld(Map<String, Instant> nextAllowed) {
        if (nextAllowed.size() > 10_000) {
            var now = clock.instant();
            nextAllowed.values().removeIf(instant -> instant.isBefore(now));
        }
    }
}
