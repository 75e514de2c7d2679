package org.lifeline.channels.internal;

import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;

import org.lifeline.campaigns.Campaign;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationStatus;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.Reachability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns stored raw updates into conversation events, one update per sender at a time. Everything an update
 * causes (the recorded message, the flow's answer in the outbox) commits in one transaction with marking it
 * processed, so a crash either redoes the whole update or none of it.
 */
@Component
class InboundProcessor implements org.springframework.beans.factory.DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);
    static final int MAX_ATTEMPTS = 5;
    /**
     * How many updates a batch claims at once (in one statement): those claimed are processed whatever the time, so
     * this bounds what a batch may run past {@code inbound-batch-time}.
     */
    static final int CLAIM_AHEAD = 16;
    /** Acknowledgements under way at once; past that one is left out (Telegram stops the spinner itself later). */
    static final int ACKNOWLEDGEMENTS_IN_FLIGHT = 64;

    private final InboundUpdates updates;
    private final Adapters adapters;
    private final ConversationManagement conversations;
    private final CampaignManagement campaigns;
    private final ChannelRoutes routes;
    private final AttachmentFetches attachments;
    private final ObjectProvider<InboundEventHandler> handler;
    private volatile Optional<InboundEventHandler> resolvedHandler;
    private final TransactionTemplate transaction;
    private final SenderWaits waits;
    /** How many workers take batches at once on this node, and each one's lane among them. */
    private final int workers;
    private final java.util.concurrent.atomic.AtomicInteger lanesGiven = new java.util.concurrent.atomic.AtomicInteger();
    private final ThreadLocal<Integer> lane;
    /** A batch takes more updates only while it is younger than this: a backlog never delays an answer by more. */
    private final java.time.Duration batchTime;
    /** How long a failed update waits before it is tried again: doubled after each failed attempt counted. */
    private final java.time.Duration retryAfter;
    private final java.time.Clock clock;
    /** How many of the next updates go one a transaction, after a batch failed. */
    private final java.util.concurrent.atomic.AtomicInteger singles = new java.util.concurrent.atomic.AtomicInteger();
    /** The channels' acknowledgements go out here, so that no worker waits on the network for one. */
    private final java.util.concurrent.ExecutorService acknowledgements = java.util.concurrent.Executors
            .newThreadPerTaskExecutor(Thread.ofVirtual().name("inbound-acknowledgement-", 0).factory());
    private final java.util.concurrent.Semaphore acknowledgementSlots =
            new java.util.concurrent.Semaphore(ACKNOWLEDGEMENTS_IN_FLIGHT);

    InboundProcessor(InboundUpdates updates, Adapters adapters, ConversationManagement conversations,
            CampaignManagement campaigns, ChannelRoutes routes, AttachmentFetches attachments, ObjectProvider<InboundEventHandler> handler, PlatformTransactionManager transactions,
            SenderWaits waits, ChannelsSettings settings, java.time.Clock clock) {
        this.updates = updates;
        this.adapters = adapters;
        this.conversations = conversations;
        this.campaigns = campaigns;
        this.routes = routes;
        this.attachments = attachments;
        this.handler = handler;
        this.transaction = new TransactionTemplate(transactions);
        this.waits = waits;
        this.workers = settings.inboundWorkers();
        this.lane = ThreadLocal.withInitial(() -> lanesGiven.getAndIncrement() % workers);
        this.batchTime = settings.inboundBatchTime();
        this.retryAfter = settings.inboundRetryAfter();
        this.clock = clock;
    }

    /**
     * Processes the next ready updates, if any: up to {@code most} of them ({@code lifeline.channels.inbound-batch},
     * fewer while updates are arriving, see {@link IntakeFirst}) in one transaction while a backlog waits (one commit
     * for many; with nothing else pending, a batch is the one update and waits for nothing), each as if alone, in its
     * sender's order. Returns false when nothing was ready.
     * <p>
     * When a batch fails, all of it rolls back, and this processor takes the next updates (the failed batch's among
     * them) one a transaction, so that the one that fails is recorded on its own and the others go through; an update
     * that failed before is never taken into a batch again. The
     * channel's acknowledgement (Telegram: stop the pressed button's spinner) is a network call, so it goes out once
     * the transaction is over and its connection back in the pool, and on a thread of its own.
     */
    boolean processNext(int most) {
        if (most <= 1 || takeSingle()) {
            return processOne();
        }
        var done = new ArrayList<Done>();
        var current = new InboundUpdates.Claimed[1];
        var failedBefore = new boolean[1];
        try {
            transaction.executeWithoutResult(status -> {
                var until = System.nanoTime() + batchTime.toNanos();
                // claims ahead up to CLAIM_AHEAD, one a sender, locked in one statement; takes more while time is left
                var claims = new InboundUpdates.Batch(lane.get(), workers, most, Math.min(most, CLAIM_AHEAD));
                while (done.size() < most && (done.isEmpty() || claims.hasReady() || System.nanoTime() < until)) {
                    var claimed = updates.claimNext(adapters.served(), claims);
                    if (claimed.isEmpty()) {
                        break;
                    }
                    if (claimed.get().attempts() > 0) {
                        // it failed before: it goes alone, so that failing again takes no batch down with it (one
                        // update that always fails costs one batch, not one per attempt)
                        failedBefore[0] = true;
                        break;
                    }
                    current[0] = claimed.get();
                    done.add(process(claimed.get()));
                    current[0] = null;
                }
                // one statement for the batch, before its commit
                updates.markProcessed(done.stream().map(d -> d.claimed().id()).toList());
            });
        } catch (RuntimeException e) {
            if (current[0] == null && done.isEmpty()) {
                throw e;
            }
            // the class name only: messages may quote personal data
            log.warn("A batch of {} inbound updates failed and is taken again one by one: {}",
                    done.size() + (current[0] != null ? 1 : 0), e.getClass().getSimpleName());
            singles.set(done.size() + 1);
            return true;
        }
        for (var update : done) {
            settled(update.claimed());
            acknowledge(update.acknowledgement());
        }
        if (failedBefore[0]) {
            singles.accumulateAndGet(1, Math::max);
            return true;
        }
        return !done.isEmpty();
    }

    /** Whether the next update goes alone, after a failed batch. */
    private boolean takeSingle() {
        return singles.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    /** One update in its own transaction; its failure is recorded against it. */
    private boolean processOne() {
        var current = new InboundUpdates.Claimed[1];
        Done done;
        try {
            done = transaction.execute(status -> {
                var claimed = updates.claimNext(adapters.served());
                if (claimed.isEmpty()) {
                    return null;
                }
                current[0] = claimed.get();
                var processed = process(claimed.get());
                updates.markProcessed(claimed.get().id());
                return processed;
            });
        } catch (RuntimeException e) {
            if (current[0] == null) {
                throw e;
            }
            failed(current[0], e);
            settled(current[0]);
            return true;
        }
        if (done == null) {
            return false;
        }
        settled(done.claimed());
        acknowledge(done.acknowledgement());
        return true;
    }

    /**
     * Records a failed attempt, once it has rolled back. A failure of the database itself (it went away, a deadlock,
     * a timeout) is not the update's: it is tried again after {@code inbound-retry-after}, the attempt not counted, so
     * an outage of any length sets nothing aside. Any other failure counts, and the update is tried again after a wait
     * that doubles with each. After the last ({@link #MAX_ATTEMPTS}) it is set aside so his queue moves on, and in the
     * same transaction his conversation goes to the operators' queue and he is told, as when a flow step fails: what
     * he sent is not recorded, and he must not be left unheard (unless a set-aside of it before, tried again, handed
     * that conversation over and it is still with the operators: {@link #handOver}). If that fails on the database too, nothing is set
     * aside: the update stays pending and is tried again later. If it fails otherwise (the notice cannot be queued,
     * or there is nobody to hand over), it is set aside all the same, his conversation handed over without the notice
     * if it can be ({@link #setAsideUntold}), and the log says so at error level. Logs name the exception's class and the update's id, never what it says.
     * When the database cannot record even that, the update stays pending as it was, and this throws.
     */
    private void failed(InboundUpdates.Claimed update, RuntimeException e) {
        var id = update.id();
        var before = update.attempts();
        var code = e.getClass().getSimpleName();
        var now = clock.instant();
        if (databaseFailure(e)) {
            log.warn("Inbound update {} failed on the database ({}): tried again later, not counted", id, code);
            transaction.executeWithoutResult(status -> updates.postpone(id, before, code, now.plus(retryAfter)));
            return;
        }
        if (before + 1 < MAX_ATTEMPTS) {
            log.warn("Inbound update {} failed: {}", id, code);
            transaction.executeWithoutResult(status -> updates.recordFailure(id, before, code,
                    now.plus(retryAfter.multipliedBy(1L << before))));
            return;
        }
        try {
            var handedOver = transaction.execute(status -> !updates.setAside(id, before, code) || handOver(update));
            if (Boolean.TRUE.equals(handedOver)) {
                log.warn("Inbound update {} failed on its last attempt ({}): set aside, its conversation handed to an "
                        + "operator", id, code);
            } else {
                log.warn("Inbound update {} failed on its last attempt ({}) again: set aside, its conversation still "
                        + "with the operators", id, code);
            }
        } catch (RuntimeException handover) {
            if (databaseFailure(handover)) {
                log.warn("Inbound update {} failed on its last attempt ({}) and handing its conversation to an operator "
                        + "failed on the database ({}): tried again later", id, code, handover.getClass().getSimpleName());
                transaction.executeWithoutResult(status -> updates.postpone(id, before, code, now.plus(retryAfter)));
                return;
            }
            setAsideUntold(update, code, handover);
        }
    }

    /**
     * After a handover that failed otherwise than on the database: the notice could not be queued (the outbox
     * refused it), or there is nobody to hand over. The update is set aside all the same, and his conversation, if
     * one can still be found or made, goes to the operators without the notice, in a transaction of its own (the
     * failed one rolled back the handover with the notice); if even that fails, it is set aside alone. Either way the
     * log says so at error level: he was not told.
     */
    private void setAsideUntold(InboundUpdates.Claimed update, String code, RuntimeException handover) {
        var id = update.id();
        var before = update.attempts();
        try {
            transaction.executeWithoutResult(status -> {
                if (updates.setAside(id, before, code)) {
                    opened(update).ifPresent(opened -> {
                        conversations.changeStatus(opened.conversation(), ConversationStatus.HANDED_OVER);
                        updates.handedOverIn(id, opened.conversation());
                    });
                }
            });
            log.error("Inbound update {} failed on its last attempt ({}) and telling him of the handover failed ({}): "
                    + "set aside, his conversation handed to an operator, he was not told", id, code,
                    handover.getClass().getSimpleName());
        } catch (RuntimeException untold) {
            if (databaseFailure(untold)) {
                log.warn("Inbound update {} failed on its last attempt ({}) and handing its conversation to an operator "
                        + "failed on the database ({}): tried again later", id, code, untold.getClass().getSimpleName());
                transaction.executeWithoutResult(status -> updates.postpone(id, before, code,
                        clock.instant().plus(retryAfter)));
                return;
            }
            log.error("Inbound update {} failed on its last attempt ({}) and handing its conversation to an operator "
                    + "failed too ({}): set aside, nobody was told", id, code, untold.getClass().getSimpleName());
            transaction.executeWithoutResult(status -> updates.setAside(id, before, code));
        }
    }

    /**
     * His conversation, found or made again, to the operators, with the notice: see {@link #failed}. Not when this
     * update, set aside before and tried again, handed this conversation over then and it is still with the
     * operators: he was told of that handover, and is told once (returns false). One given back since is handed over
     * again, and he is told again: a new handover.
     */
    private boolean handOver(InboundUpdates.Claimed update) {
        var earlier = updates.handedOverIn(update.id());
        return opened(update).map(opened -> {
            if (earlier.filter(opened.conversation()::equals).isPresent()
                    && conversations.conversation(opened.conversation()).status() == ConversationStatus.HANDED_OVER) {
                return false;
            }
            updates.handedOverIn(update.id(), opened.conversation());
            handler().ifPresent(h -> h.onSetAside(opened.contact(), opened.conversation(), opened.hint()));
            return true;
        }).orElse(true);
    }

    /** His contact and conversation, found or made again, for an update being set aside. */
    private Optional<Opened> opened(InboundUpdates.Claimed update) {
        var input = adapters.get(update.channel()).interpret(update.endpoint(), updates.payload(update));
        return open(update.channel(), update.endpoint(), input);
    }

    /**
     * Whether the database failed rather than the update: it went away or refused a connection, a deadlock or a
     * timeout, anything its driver calls transient or recoverable, anywhere among the causes.
     */
    static boolean databaseFailure(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.springframework.dao.TransientDataAccessException
                    || cause instanceof org.springframework.dao.RecoverableDataAccessException
                    || cause instanceof org.springframework.dao.DataAccessResourceFailureException
                    || cause instanceof org.springframework.transaction.CannotCreateTransactionException
                    || cause instanceof java.sql.SQLTransientException
                    || cause instanceof java.sql.SQLRecoverableException
                    || cause instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && java.util.Set.of("08", "40", "53", "57").contains(sql.getSQLState().substring(0, 2))) {
                // a connection lost, a transaction rolled back by the server, out of resources, shut down
                return true;
            }
        }
        return false;
    }

    /** Everything the update causes, in the caller's transaction; the caller marks it processed. */
    private Done process(InboundUpdates.Claimed update) {
        var adapter = adapters.get(update.channel());
        var payload = updates.payload(update);
        apply(update.channel(), update.endpoint(), adapter.interpret(update.endpoint(), payload));
        return new Done(update, () -> adapter.acknowledge(update.endpoint(), payload));
    }

    /** An update processed in a transaction not yet committed, and what to do once it is. */
    private record Done(InboundUpdates.Claimed claimed, Runnable acknowledgement) {
    }

    /**
     * Sends the channel's acknowledgement (Telegram: stop the pressed button's spinner, for a polling bot; a webhook's
     * bot has it stopped by the delivery's answer) in the background: a slow channel must not hold a worker, and with
     * it everyone's next message, for its round trip.
     */
    private void acknowledge(Runnable acknowledgement) {
        if (!acknowledgementSlots.tryAcquire()) {
            return;
        }
        try {
            acknowledgements.execute(() -> {
                try {
                    acknowledgement.run();
                } catch (RuntimeException e) {
                    log.warn("Acknowledging an update failed: {}", e.getClass().getSimpleName());
                } finally {
                    acknowledgementSlots.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            acknowledgementSlots.release();
        }
    }

    @Override
    public void destroy() {
        acknowledgements.shutdown();
    }

    /** After the commit: whoever waits for this sender looks again. */
    private void settled(InboundUpdates.Claimed update) {
        if (update != null) {
            waits.settled(update.channel(), update.senderRef());
        }
    }

    /**
     * His contact and conversation, found or made, with the route his replies take, for what he sent; none when
     * there is nothing to answer (not from a sender; he blocked or unblocked the bot, which is recorded here; or he
     * was marked as a provocation).
     */
    private Optional<Opened> open(String channel, String endpoint, ChannelInput input) {
        if (!(input instanceof ChannelInput.FromSender from)) {
            return Optional.empty();
        }
        var arrival = arrival(from);
        var campaign = arrival.campaign();
        var entryCode = arrival.entryCode();
        var hint = arrival.hint();
        var contact = conversations.findOrCreateContact(channel, from.senderId(), hint);
        switch (from) {
            case ChannelInput.Blocked b -> {
                conversations.markUnreachable(contact);
                return Optional.empty();
            }
            case ChannelInput.Unblocked u -> {
                conversations.markReachable(contact);
                return Optional.empty();
            }
            default -> {
            }
        }
        if (conversations.contact(contact).reachability() == Reachability.BLOCKED) {
            // marked as a provocation: recorded nowhere, answered never
            return Optional.empty();
        }
        var conversation = conversations.openOrResumeConversation(contact, hint, entryCode,
                campaign.map(c -> c.id().value()).orElse(null));
        routes.remember(conversation, channel, endpoint);
        return Optional.of(new Opened(contact, conversation, hint, entryCode));
    }

    /** How he arrived: the language he is to be spoken in, and the running campaign whose code he came by, if any. */
    private record Arrival(String hint, Optional<Campaign> campaign) {

        String entryCode() {
            return campaign.map(Campaign::code).orElse(null);
        }
    }

    private Arrival arrival(ChannelInput.FromSender from) {
        // only a start carries an entry code, and only a start can say he chose the page's language
        var start = from instanceof ChannelInput.Start s ? s : null;
        // only a running campaign's code is kept: any other payload (a personal link a hostile service handed its
        // target, naming him) is dropped here, before anything stores it or shows it to an operator
        var campaign = start == null ? Optional.<Campaign>empty() : campaigns.attribution(start.entryCode());
        var languageChosen = start != null && start.languageChosen();
        // the campaign's language outranks the phone's: a Korean QR code opens a Korean conversation on a phone
        // set to Russian (soldiers carry whatever phone they were issued); a language he chose himself outranks it
        var hint = campaign.filter(c -> !languageChosen).map(Campaign::language)
                .orElseGet(() -> normalise(from.languageHint()));
        return new Arrival(hint, campaign);
    }

    /** What the start would be answered, recorded nowhere: see {@link org.lifeline.channels.ChannelIntake#opening}. */
    java.util.List<org.lifeline.channels.OutboundContent> opening(ChannelInput.Start start) {
        var arrival = arrival(start);
        return handler().map(h -> h.opening(arrival.hint(), arrival.entryCode())).orElse(java.util.List.of());
    }

    /** What {@link #open} found or made for an update. */
    private record Opened(ContactId contact, ConversationId conversation, String hint, String entryCode) {
    }

    private void apply(String channel, String endpoint, ChannelInput input) {
        var opened = open(channel, endpoint, input);
        if (opened.isEmpty()) {
            return;
        }
        var contact = opened.get().contact();
        var conversation = opened.get().conversation();
        var hint = opened.get().hint();
        var entryCode = opened.get().entryCode();
        InboundEvent event = switch ((ChannelInput.FromSender) input) {
            case ChannelInput.Text t -> {
                conversations.recordInbound(conversation, new MessageContent.Text(t.text()), t.channelMessageId());
                yield new InboundEvent.TextReceived(contact, conversation, hint, t.text());
            }
            case ChannelInput.Start s -> {
                conversations.recordInbound(conversation, new MessageContent.Start(entryCode), s.channelMessageId());
                yield new InboundEvent.Started(contact, conversation, hint, entryCode);
            }
            case ChannelInput.Choice c -> {
                conversations.recordInbound(conversation, new MessageContent.Choice(c.choiceId()), c.channelMessageId());
                yield new InboundEvent.ChoiceMade(contact, conversation, hint, c.choiceId());
            }
            case ChannelInput.Location l -> {
                conversations.recordInbound(conversation, new MessageContent.Location(l.latitude(), l.longitude()),
                        l.channelMessageId());
                yield new InboundEvent.LocationShared(contact, conversation, hint, l.latitude(), l.longitude());
            }
            case ChannelInput.ContactCard c -> {
                conversations.recordInbound(conversation, new MessageContent.ContactCard(c.phoneNumber()),
                        c.channelMessageId());
                yield new InboundEvent.ContactShared(contact, conversation, hint, c.phoneNumber());
            }
            case ChannelInput.Photo p -> {
                var message = conversations.recordInbound(conversation, new MessageContent.Photo(p.caption()),
                        p.channelMessageId());
                attachments.add(channel, endpoint, message, p.fileReference());
                yield new InboundEvent.PhotoReceived(contact, conversation, hint, message.value().toString(), p.caption());
            }
            case ChannelInput.Voice v -> {
                var message = conversations.recordInbound(conversation, new MessageContent.Voice(), v.channelMessageId());
                attachments.add(channel, endpoint, message, v.fileReference());
                // the flow cannot listen: it hears a marker it does not understand and asks again in writing
                yield new InboundEvent.TextReceived(contact, conversation, hint, "[voice]");
            }
            case ChannelInput.Note n -> {
                conversations.recordInbound(conversation, n.call(), n.channelMessageId());
                yield null;
            }
            case ChannelInput.Recording r -> {
                var message = conversations.recordInbound(conversation, new MessageContent.Voicemail(r.seconds()),
                        r.channelMessageId());
                attachments.add(channel, endpoint, message, r.fileReference());
                yield null;
            }
            case ChannelInput.CallbackRequest c -> {
                conversations.recordInbound(conversation, new MessageContent.CallbackRequest(c.about()),
                        c.channelMessageId());
                yield new InboundEvent.CallbackRequested(contact, conversation, hint, c.about());
            }
            case ChannelInput.Blocked b -> throw new IllegalStateException("handled in open");
            case ChannelInput.Unblocked u -> throw new IllegalStateException("handled in open");
        };
        if (event != null) {
            handler().ifPresent(h -> h.on(event));
        }
    }

    /** The handler, looked up once (each lookup resolved the dependency again: 2% of a worker's time). */
    private Optional<InboundEventHandler> handler() {
        var known = resolvedHandler;
        if (known == null) {
            known = Optional.ofNullable(handler.getIfAvailable());
            resolvedHandler = known;
        }
        return known;
    }

    /**
     * The language of a channel's hint ({@code ru-RU} is {@code ru}), or none when the hint is not one: a client sets
     * it as it likes, and a hint that is no language must not fail the update it came with.
     */
    static String normalise(String languageHint) {
        if (languageHint == null || languageHint.isBlank()) {
            return null;
        }
        var language = languageHint.toLowerCase(Locale.ROOT).split("[-_]")[0];
        return LANGUAGE.matcher(language).matches() ? language : null;
    }

    /** What a contact's language may be (ISO 639-1 or -3, as {@code ConversationManagement} checks it). */
    private static final java.util.regex.Pattern LANGUAGE = java.util.regex.Pattern.compile("[a-z]{2,3}");
}
