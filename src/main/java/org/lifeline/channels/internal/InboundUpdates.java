package org.lifeline.channels.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The durable store of raw inbound updates: written before acknowledging, claimed one sender at a time. */
@Repository
class InboundUpdates {

    static final String PENDING = "PENDING";
    static final String PROCESSED = "PROCESSED";
    static final String DROPPED = "DROPPED";
    static final String FAILED = "FAILED";
    /** More than the workers that may be claiming at once, so that one of them is nearly always free to take. */
    static final int CLAIM_CANDIDATES = 16;
    private static final String FIRST_OF_SENDER = """
            not exists (select 1 from inbound_update e
                        where e.sender_ref = u.sender_ref and e.state = 'PENDING' and e.id < u.id)""";

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransitKeys transitKeys;
    private final Clock clock;

    InboundUpdates(JdbcClient jdbc, DataProtection protection, TransitKeys transitKeys, Clock clock) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.transitKeys = transitKeys;
        this.clock = clock;
    }

    /** Stores an update unless one with the same key is already there. Returns false for a redelivery. */
    boolean store(String channel, String endpoint, String idempotencyKey, byte[] senderRef, String payload, boolean dropped) {
        var key = transitKeys.today();
        var context = context(channel, endpoint, idempotencyKey);
        var inserted = jdbc.sql("""
                insert into inbound_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, payload_enc, state, received_at)
                values (:channel, :endpoint, :key, :sender, :dataKey, :payload, :state, :now)
                on conflict do nothing""")
                .param("channel", channel).param("endpoint", endpoint).param("key", idempotencyKey)
                .param("sender", senderRef).param("dataKey", key.value())
                .param("payload", protection.encrypt(key, payload, context))
                .param("state", dropped ? DROPPED : PENDING).param("now", clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .update();
        return inserted == 1;
    }

    /**
     * Claims the oldest pending update whose sender has no older pending update, locking it for the caller's
     * transaction; other nodes skip it. This gives one update per sender at a time, in arrival order.
     * <p>
     * Two steps, because H2 evaluates and locks every row that matches a {@code for update} query before it sorts
     * and limits: with a backlog of thousands that took 100 ms a claim and locked every sender's head. So the
     * candidates are found without locking (in index order, stopping at the limit), then locked one at a time with
     * the condition checked again under the lock.
     */
    Optional<Claimed> claimNext() {
        var candidates = jdbc.sql("""
                select u.id from inbound_update u
                where u.state = 'PENDING' and %s
                order by u.state, u.id
                limit %d""".formatted(FIRST_OF_SENDER, CLAIM_CANDIDATES))
                .query(Long.class).list();
        for (var candidate : candidates) {
            var claimed = jdbc.sql("""
                    select u.id, u.channel, u.endpoint, u.idempotency_key, u.data_key_id, u.payload_enc, u.attempts
                    from inbound_update u
                    where u.id = ? and u.state = 'PENDING' and %s
                    for update skip locked""".formatted(FIRST_OF_SENDER))
                    .param(candidate)
                    .query((rs, n) -> new Claimed(rs.getLong("id"), rs.getString("channel"), rs.getString("endpoint"),
                            rs.getString("idempotency_key"), new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                            rs.getBytes("payload_enc"), rs.getInt("attempts")))
                    .optional();
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    String payload(Claimed claimed) {
        return protection.decrypt(claimed.dataKey(), claimed.payloadEnc(),
                context(claimed.channel(), claimed.endpoint(), claimed.idempotencyKey()));
    }

    /** Handled: the raw payload is erased, its content now lives on the conversation. */
    void markProcessed(long id) {
        jdbc.sql("update inbound_update set state = 'PROCESSED', payload_enc = null, processed_at = ? where id = ?")
                .params(clock.instant().atOffset(java.time.ZoneOffset.UTC), id).update();
    }

    /** Counts a failed attempt; after {@code maxAttempts} the update is set aside so the sender's queue moves on. */
    void recordFailure(long id, String errorCode, int maxAttempts) {
        jdbc.sql("""
                update inbound_update set attempts = attempts + 1, error_code = :code,
                  state = case when attempts + 1 >= :max then 'FAILED' else state end
                where id = :id""")
                .param("code", errorCode).param("max", maxAttempts).param("id", id).update();
    }

    /** Whether an update of this sender waits to be processed. */
    boolean pendingFor(byte[] senderRef) {
        return jdbc.sql("select count(*) from inbound_update where sender_ref = ? and state = 'PENDING'")
                .param(senderRef).query(Long.class).single() > 0;
    }


    private static String context(String channel, String endpoint, String idempotencyKey) {
        return "inbound_update:" + channel + ":" + endpoint + ":" + idempotencyKey;
    }


    record Claimed(long id, String channel, String endpoint, String idempotencyKey, DataKeyId dataKey,
            byte[] payloadEnc, int attempts) {
    }
}
