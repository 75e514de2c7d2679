package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.lifeline.channels.ChannelAdapter;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.MessageId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due outbox messages of one endpoint. One node at a time sends for an endpoint (it holds that endpoint's
 * row lock for the batch; the others skip it), so the endpoint's rate limit holds across nodes. Each message is
 * marked in flight and committed before the request goes out, so a crash can never make it go out twice.
 */
@Component
class OutboxDispatcher {

    static final int BATCH = 50;
    static final int MAX_ATTEMPTS = 12;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final OutboxMessages messages;
    private final Adapters adapters;
    private final ConversationManagement conversations;
    private final Clock clock;
    private final TransactionTemplate batch;
    private final TransactionTemplate separately;
    private final Map<String, Bucket> endpointBuckets = new ConcurrentHashMap<>();
    private final Map<String, Instant> recipientNextAllowed = new ConcurrentHashMap<>();

    OutboxDispatcher(JdbcClient jdbc, OutboxMessages messages, Adapters adapters, ConversationManagement conversations,
            Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.adapters = adapters;
        this.conversations = conversations;
        this.clock = clock;
        this.batch = new TransactionTemplate(transactions);
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Makes sure the endpoint has its row (the lock that serialises sending across nodes). */
    void register(String channel, String endpoint) {
        separately.executeWithoutResult(status -> {
            var exists = jdbc.sql("select count(*) from channel_endpoint where channel = ? and endpoint = ?")
                    .params(channel, endpoint).query(Long.class).single() > 0;
            if (!exists) {
                jdbc.sql("insert into channel_endpoint (channel, endpoint) values (?, ?) on conflict do nothing")
                        .params(channel, endpoint).update();
            }
        });
    }

    /** Sends what is due for one endpoint; returns how many messages were handed to the channel. */
    int dispatch(ChannelAdapter adapter, String endpoint) {
        var result = batch.execute(status -> {
            var pausedUntil = jdbc.sql("""
                    select paused_until from channel_endpoint where channel = ? and endpoint = ?
                    for update skip locked""")
                    .params(adapter.type(), endpoint)
                    .query((rs, n) -> java.util.Optional.ofNullable(rs.getObject("paused_until", java.time.OffsetDateTime.class)))
                    .optional();
            if (pausedUntil.isEmpty()) {
                return 0;
            }
            var now = clock.instant();
            if (pausedUntil.get().isPresent() && pausedUntil.get().get().toInstant().isAfter(now)) {
                return 0;
            }
            return sendDue(adapter, endpoint);
        });
        return result == null ? 0 : result;
    }

    private int sendDue(ChannelAdapter adapter, String endpoint) {
        var limits = adapter.limits(endpoint);
        var bucket = endpointBuckets.computeIfAbsent(adapter.type() + ":" + endpoint, k -> perSecond(limits.perEndpointPerSecond()));
        var recipientGap = Duration.ofNanos((long) (1_000_000_000L / limits.perRecipientPerSecond()));
        var sent = 0;
        for (var pending : messages.due(adapter.type(), endpoint, BATCH)) {
            var recipientKey = HexFormat.of().formatHex(pending.recipientRef());
            var now = clock.instant();
            var nextAllowed = recipientNextAllowed.get(recipientKey);
            if (nextAllowed != null && nextAllowed.isAfter(now)) {
                continue;
            }
            try {
                // waits for the next evenly spaced slot: at 28/s a batch of 50 holds the endpoint's lock under 2 s
                bucket.asBlocking().consume(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (!Boolean.TRUE.equals(separately.execute(status -> messages.markSending(pending.id())))) {
                continue;
            }
            var outcome = deliver(adapter, endpoint, pending);
            recipientNextAllowed.put(recipientKey, clock.instant().plus(recipientGap));
            var pauseUntil = separately.execute(status -> record(pending, outcome));
            if (outcome instanceof DeliveryResult.Sent) {
                sent++;
            }
            if (pauseUntil != null) {
                // in the batch transaction, which holds this row's lock
                jdbc.sql("update channel_endpoint set paused_until = ? where channel = ? and endpoint = ?")
                        .params(pauseUntil.atOffset(ZoneOffset.UTC), adapter.type(), endpoint).update();
                break;
            }
        }
        forgetOld(recipientNextAllowed);
        return sent;
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
