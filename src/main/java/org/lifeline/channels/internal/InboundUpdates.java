package org.lifeline.channels.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.lifeline.channels.TransitKeys;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The durable store of raw inbound updates: written before acknowledging, claimed one sender at a time. */
@Repository
class InboundUpdates {

    static final String PENDING = "PENDING";
    static final String PROCESSED = "PROCESSED";
    static final String DROPPED = "DROPPED";
    static final String FAILED = "FAILED";
    /** Set aside, then discarded by an admin: its payload is gone, the row stays until retention. */
    static final String DISCARDED = "DISCARDED";
    /**
     * How many of the oldest pending updates a claim looks at. Any earlier pending update of a sender in this window
     * is in it too, so which updates head their sender's queue is decided in memory, without a query per candidate.
     */
    static final int CLAIM_WINDOW = 100;
    /**
     * A page of the oldest pending updates after the id given, in id order, whatever their endpoint: the endpoints a
     * node serves are picked in memory. Only the pending updates' index serves this query, as an ordered read that
     * stops after one page, under any statistics (and an ordered read marks the entries of updates processed since
     * as dead, so the next read steps over them quickly even before a vacuum). With the endpoint in the query,
     * PostgreSQL chose other plans by its statistics: never analyzed, it read every update the endpoint ever had
     * through the idempotency key, or all pending ones by a bitmap, and sorted them (5–12 ms a claim after a burst,
     * 86 updates a second); with statistics from a backlog, it read the history in id order through the primary key.
     */
    static final String WINDOW = """
            select id, sender_ref, channel, endpoint, retry_at from inbound_update
            where state = 'PENDING' and id > ?
            order by state, id
            limit %d""".formatted(CLAIM_WINDOW);

    /**
     * The pending updates of {@code senders} senders (their references, then an id) older than the id: a probe of
     * {@code inbound_update_sender (sender_ref, state, id)} for each. A join with the senders as values, because with
     * {@code sender_ref in (...)} and more conditions H2 read the whole index.
     */
    static String olderPending(int senders) {
        return """
                select u.id, u.sender_ref
                from (values %s) senders (ref)
                join inbound_update u on u.sender_ref = senders.ref and u.state = 'PENDING' and u.id < ?"""
                .formatted(String.join(", ", java.util.Collections.nCopies(senders, "(cast(? as bytea))")));
    }

    static final String INSERT = """
            insert into inbound_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, payload_enc, state, received_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransitKeys transitKeys;
    private final Clock clock;
    private final IntakeCommits commits;
    private final IntakeJournal journal;

    InboundUpdates(JdbcClient jdbc, DataProtection protection, TransitKeys transitKeys, Clock clock, IntakeCommits commits,
            IntakeJournal journal) {
        this.commits = commits;
        this.journal = journal;
        this.jdbc = jdbc;
        this.protection = protection;
        this.transitKeys = transitKeys;
        this.clock = clock;
    }

    /** Stores an update unless one with the same key is already there. Returns false for a redelivery. */
    boolean store(String channel, String endpoint, String idempotencyKey, byte[] senderRef, String payload, boolean dropped) {
        var key = transitKeys.today();
        var context = context(channel, endpoint, idempotencyKey);
        Object[] values = {channel, endpoint, idempotencyKey, senderRef, key.value(),
                protection.encrypt(key, payload, context), dropped ? DROPPED : PENDING,
                clock.instant().atOffset(java.time.ZoneOffset.UTC)};
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // part of the caller's transaction (the poller moves its offset in the same one)
            return jdbc.sql(INSERT).params(values).update() == 1;
        }
        // a webhook: committed with the others arriving now, answered once that commit has returned
        return commits.insert(INSERT, values);
    }

    /**
     * Claims the oldest pending update whose sender has no older pending update, locking it for the caller's
     * transaction; other nodes skip it. This gives one update per sender at a time, in arrival order.
     * <p>
     * The queries are chosen so that every plan the database may pick costs little, whatever its statistics (on a
     * PostgreSQL without autovacuum, plans made while the table was empty stay cached): one read of a page of the
     * oldest pending updates ({@link #WINDOW}: {@code (state, id)} on H2, the pending updates' own index on
     * PostgreSQL), bounded by {@link #CLAIM_WINDOW}, then per candidate a lock on
     * one row by its key and a count of the sender's older pending updates from the {@code (sender_ref, state, id)}
     * index. No correlated subquery that a bad plan could turn into a scan of the backlog for every row. (H2 also
     * locks every row a {@code for update} query reads before it sorts and limits, another reason to lock by key.)
     * <p>
     * Only updates of {@code served} endpoints are claimed: interpreting and answering one takes its endpoint's
     * settings (default language, number, token), which a node that is not configured for it does not have. An
     * update of an endpoint no node serves any more waits, pending, until one does again.
     */
    Optional<Claimed> claimNext(List<Endpoint> served) {
        return claimNext(served, new Batch());
    }

    /**
     * {@link #claimNext(List)} for the next update of a {@code batch}, one transaction. The window read for the
     * batch's first claim serves the next ones too, and is read again only once nothing in it can be claimed (a
     * read per claim returned the same hundred rows sixteen times a batch). An update claimed by this batch no longer
     * holds its sender back: the caller has handled it in this transaction. Updates found locked by another worker,
     * or behind an older update of their sender, are passed over for the rest of the batch (another worker's batch at
     * the head of the window cost a lock attempt each at every claim), and their senders' later updates still wait
     * behind them. A batch that claims ahead locks several updates (one a sender) in one statement and hands them
     * out in the window's order; the caller handles each before it asks for the next.
     */
    Optional<Claimed> claimNext(List<Endpoint> served, Batch batch) {
        if (served.isEmpty()) {
            return Optional.empty();
        }
        if (batch.ready.isEmpty() && batch.window != null) {
            claimFrom(batch);
        }
        if (batch.ready.isEmpty()) {
            batch.window = window(served);
            claimFrom(batch);
        }
        return Optional.ofNullable(batch.ready.poll());
    }

    /**
     * The oldest pending updates of the endpoints served: pages of {@link #WINDOW} until one holds some that may be
     * tried now, or there are no more (an endpoint no node serves any more keeps its pending updates, which are paged
     * over). Those whose retry is not due yet stay in the window: their senders' later updates wait behind them.
     */
    private List<Candidate> window(List<Endpoint> served) {
        var wanted = new HashSet<String>();
        served.forEach(e -> wanted.add(e.channel() + ":" + e.endpoint()));
        var now = clock.instant();
        var window = new ArrayList<Candidate>();
        // senders whose oldest pending update waits for its retry
        var waiting = new HashSet<String>();
        long after = 0;
        while (true) {
            var page = jdbc.sql(WINDOW).param(after)
                    .query((rs, n) -> {
                        var retryAt = rs.getObject("retry_at", java.time.OffsetDateTime.class);
                        return new Candidate(rs.getLong("id"), HexFormat.of().formatHex(rs.getBytes("sender_ref")),
                                rs.getString("channel") + ":" + rs.getString("endpoint"),
                                retryAt == null || !retryAt.toInstant().isAfter(now));
                    })
                    .list();
            var claimable = false;
            for (var candidate : page) {
                if (!wanted.contains(candidate.endpoint())) {
                    continue;
                }
                window.add(candidate);
                if (!candidate.due()) {
                    waiting.add(candidate.sender());
                }
                claimable |= candidate.due() && !waiting.contains(candidate.sender());
            }
            if (claimable || page.size() < CLAIM_WINDOW) {
                return window;
            }
            after = page.getLast().id();
        }
    }

    /**
     * Claims what the window offers now, into the batch's ready updates: first among the senders of the batch's
     * lane, then among all. Two workers reading the same window would otherwise try the same rows in the same order,
     * and the second pay a lock attempt for each row the first holds (2.4 lock statements a claim with two workers).
     */
    private void claimFrom(Batch batch) {
        if (batch.lanes > 1 && claimFrom(batch, true)) {
            return;
        }
        claimFrom(batch, false);
    }

    /**
     * Locks, in one statement, the updates that head their senders' queues in the window, one a sender and as many
     * as the batch has room for, then checks, in one more, that no older update of those senders is pending. Returns
     * whether any was claimed. A batch of sixteen takes two statements where it took thirty-two.
     */
    private boolean claimFrom(Batch batch, boolean ownLane) {
        var room = Math.min(batch.ahead, batch.size - batch.claimed.size());
        if (room <= 0) {
            return false;
        }
        // each round passes over what it could not claim, so the next tries the window's next updates
        while (true) {
            var candidates = candidates(batch, ownLane, room);
            if (candidates.isEmpty()) {
                return false;
            }
            var locked = lock(candidates);
            var older = olderPending(locked, batch.claimed);
            for (var candidate : candidates) {
                var claimed = locked.get(candidate.id());
                if (claimed == null || older.contains(candidate.id())) {
                    // locked by another worker, or behind an older update committed after the window was read
                    batch.passedOver.add(candidate.id());
                    continue;
                }
                batch.claimed.add(candidate.id());
                batch.ready.add(claimed);
            }
            if (!batch.ready.isEmpty()) {
                return true;
            }
        }
    }

    /** Up to {@code room} updates of the window that head their senders' queues, as far as this batch knows. */
    private List<Candidate> candidates(Batch batch, boolean ownLane, int room) {
        var seen = new HashSet<String>();
        var candidates = new ArrayList<Candidate>();
        for (var candidate : batch.window) {
            if (candidates.size() == room) {
                break;
            }
            if (ownLane && lane(candidate.sender(), batch.lanes) != batch.lane) {
                // a sender is in one lane only: his earlier updates are passed over here too
                continue;
            }
            if (batch.claimed.contains(candidate.id())) {
                continue;
            }
            if (!seen.add(candidate.sender())) {
                // an older update of this sender is pending (perhaps being processed right now)
                continue;
            }
            if (!candidate.due()) {
                // it failed and waits for its retry, and his later updates with it
                continue;
            }
            if (batch.passedOver.contains(candidate.id())) {
                continue;
            }
            candidates.add(candidate);
        }
        return candidates;
    }

    /** The candidates no other transaction holds, locked for this one, by id. */
    private java.util.Map<Long, Claimed> lock(List<Candidate> candidates) {
        var locked = new java.util.HashMap<Long, Claimed>();
        jdbc.sql("""
                select id, channel, endpoint, idempotency_key, data_key_id, payload_enc, attempts, sender_ref
                from inbound_update
                where id in (%s) and state = 'PENDING' and (retry_at is null or retry_at <= ?)
                for update skip locked""".formatted(placeholders(candidates.size())))
                .params(candidates.stream().<Object>map(Candidate::id).toList())
                .param(clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .query((rs, n) -> new Claimed(rs.getLong("id"), rs.getString("channel"), rs.getString("endpoint"),
                        rs.getString("idempotency_key"), new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                        rs.getBytes("payload_enc"), rs.getInt("attempts"), rs.getBytes("sender_ref")))
                .list()
                .forEach(claimed -> locked.put(claimed.id(), claimed));
        return locked;
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** The lane of a sender (his reference in hex) among {@code lanes}: each sender is in one. */
    static int lane(String senderHex, int lanes) {
        return Math.floorMod(senderHex.hashCode(), lanes);
    }

    /**
     * Which of the {@code locked} updates have an older update of their sender pending, other than those this batch
     * claimed before (handled in this transaction, marked processed at its end). Checked under the lock, in one
     * statement ({@link #olderPending(int)}): an older update may have been committed after the window was read.
     */
    private Set<Long> olderPending(java.util.Map<Long, Claimed> locked, Set<Long> claimedBefore) {
        if (locked.isEmpty()) {
            return Set.of();
        }
        var heads = new java.util.HashMap<String, Long>();
        var refs = new ArrayList<Object>();
        for (var claimed : locked.values()) {
            heads.put(HexFormat.of().formatHex(claimed.senderRef()), claimed.id());
            refs.add(claimed.senderRef());
        }
        var params = new ArrayList<Object>(refs);
        params.add(java.util.Collections.max(locked.keySet()));
        var older = new HashSet<Long>();
        jdbc.sql(olderPending(refs.size()))
                .params(params)
                .query((rs, n) -> {
                    var id = rs.getLong("id");
                    var head = heads.get(HexFormat.of().formatHex(rs.getBytes("sender_ref")));
                    if (head != null && id < head && !claimedBefore.contains(id)) {
                        older.add(head);
                    }
                    return id;
                })
                .list();
        return older;
    }

    String payload(Claimed claimed) {
        return protection.decrypt(claimed.dataKey(), claimed.payloadEnc(),
                context(claimed.channel(), claimed.endpoint(), claimed.idempotencyKey()));
    }

    /** Handled: the raw payload is erased, its content now lives on the conversation. */
    void markProcessed(long id) {
        markProcessed(List.of(id));
    }

    /** {@link #markProcessed(long)} for several updates, in one statement: a batch's, at its end. */
    void markProcessed(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        var params = new ArrayList<Object>();
        params.add(clock.instant().atOffset(java.time.ZoneOffset.UTC));
        params.addAll(ids);
        jdbc.sql("update inbound_update set state = 'PROCESSED', payload_enc = null, processed_at = ? where id in (%s)"
                        .formatted(placeholders(ids.size())))
                .params(params).update();
    }

    /**
     * Counts a failed attempt and has the update wait until {@code retryAt} before the next. The failure is that of
     * the attempt made when the update had {@code attemptsBefore} failures: once the failed transaction rolled back,
     * another worker may have claimed the update and failed it too before this is recorded, and the same attempt must
     * not count twice (nor an update already set aside count again).
     */
    void recordFailure(long id, int attemptsBefore, String errorCode, java.time.Instant retryAt) {
        jdbc.sql("""
                update inbound_update set attempts = attempts + 1, error_code = ?, retry_at = ?
                where id = ? and state = 'PENDING' and attempts = ?""")
                .params(errorCode, retryAt.atOffset(java.time.ZoneOffset.UTC), id, attemptsBefore).update();
    }

    /**
     * Has the update wait until {@code retryAt} without counting the attempt: what failed was not the update (the
     * database went away, or handing his conversation over after the last attempt failed).
     */
    void postpone(long id, int attemptsBefore, String errorCode, java.time.Instant retryAt) {
        jdbc.sql("""
                update inbound_update set error_code = ?, retry_at = ?
                where id = ? and state = 'PENDING' and attempts = ?""")
                .params(errorCode, retryAt.atOffset(java.time.ZoneOffset.UTC), id, attemptsBefore).update();
    }

    /**
     * Counts the last failed attempt and sets the update aside, its payload kept (encrypted) until its day's transit
     * key is shredded, so the sender's queue moves on. Returns false when this attempt was recorded already (another
     * worker failed it too): whatever follows setting it aside must then not be done twice.
     */
    boolean setAside(long id, int attemptsBefore, String errorCode) {
        return jdbc.sql("""
                update inbound_update set attempts = attempts + 1, error_code = ?, state = 'FAILED', retry_at = null,
                  set_aside_at = ?
                where id = ? and state = 'PENDING' and attempts = ?""")
                .params(errorCode, clock.instant().atOffset(java.time.ZoneOffset.UTC), id, attemptsBefore)
                .update() == 1;
    }

    /** The conversation an update set aside was handed to the operators in: the console links to it. */
    void handedOverIn(long id, org.lifeline.conversations.ConversationId conversation) {
        jdbc.sql("update inbound_update set conversation_id = ? where id = ?").params(conversation.value(), id).update();
    }

    /**
     * The conversation an update was handed over in when it was set aside before, kept when it is tried again; none
     * when it never was.
     */
    Optional<org.lifeline.conversations.ConversationId> handedOverIn(long id) {
        return jdbc.sql("select conversation_id from inbound_update where id = ?").param(id)
                .query((rs, n) -> rs.getObject("conversation_id", UUID.class))
                .optional().map(org.lifeline.conversations.ConversationId::new);
    }

    /** Removes this sender's updates already processed, given up, discarded or dropped (their keyed hash of his id with them). */
    int removeSettled(byte[] senderRef) {
        return jdbc.sql("delete from inbound_update where sender_ref = ? and state in ('PROCESSED', 'FAILED', 'DISCARDED', 'DROPPED')")
                .param(senderRef).update();
    }

    /** Removes what this sender sent that is still waiting: he asked for his data to be erased. */
    int discardPending(byte[] senderRef) {
        return journal.discardPending(senderRef) + jdbc.sql("delete from inbound_update where sender_ref = ? and state = 'PENDING'").param(senderRef)
                .update();
    }

    /**
     * Whether an update of this sender waits to be processed: in the intake journal (asked first: an update moved
     * after that look is in this table by the next) or here.
     */
    boolean pendingFor(byte[] senderRef) {
        return journal.pendingFor(senderRef) || jdbc.sql("select count(*) from inbound_update where sender_ref = ? and state = 'PENDING'")
                .param(senderRef).query(Long.class).single() > 0;
    }


    private static String context(String channel, String endpoint, String idempotencyKey) {
        return "inbound_update:" + channel + ":" + endpoint + ":" + idempotencyKey;
    }


    /**
     * A pending update in the window: its id, its sender's reference in hex, its {@code channel:endpoint}, and
     * whether it may be tried now (it never failed, or its retry is due).
     */
    private record Candidate(long id, String sender, String endpoint, boolean due) {
    }

    /** What one transaction's claims share: see {@link #claimNext(List, Batch)}. */
    static final class Batch {

        private final Set<Long> claimed = new HashSet<>();
        private final Set<Long> passedOver = new HashSet<>();
        /** Claimed (locked) and not yet handed out, in the window's order. */
        private final java.util.ArrayDeque<Claimed> ready = new java.util.ArrayDeque<>();
        private final int lane;
        private final int lanes;
        private final int size;
        private final int ahead;
        private List<Candidate> window;

        /** A batch that tries every sender's update in the window's order, claiming one at a time. */
        Batch() {
            this(0, 1);
        }

        /**
         * A batch that tries first the updates of the senders in its {@code lane} (of {@code lanes}, one a worker),
         * then any other's, claiming one at a time.
         */
        Batch(int lane, int lanes) {
            this(lane, lanes, Integer.MAX_VALUE, 1);
        }

        /**
         * A batch of at most {@code size} updates, claiming up to {@code ahead} at once (one a sender): those
         * claimed ahead stay locked until the transaction ends, handed out one by one.
         */
        Batch(int lane, int lanes, int size, int ahead) {
            if (lanes < 1 || lane < 0 || lane >= lanes) {
                throw new IllegalArgumentException("Lane " + lane + " of " + lanes);
            }
            if (size < 1 || ahead < 1) {
                throw new IllegalArgumentException("A batch of " + size + ", " + ahead + " ahead");
            }
            this.lane = lane;
            this.lanes = lanes;
            this.size = size;
            this.ahead = ahead;
        }

        /** Whether updates claimed ahead wait to be handed out (locked already: the batch takes them). */
        boolean hasReady() {
            return !ready.isEmpty();
        }

        /** Updates passed over so far: locked by another worker, or behind an older update of their sender. */
        int passedOver() {
            return passedOver.size();
        }
    }

    /** A channel's endpoint (a bot, a business number) that this node is configured for. */
    record Endpoint(String channel, String endpoint) {
    }

    record Claimed(long id, String channel, String endpoint, String idempotencyKey, DataKeyId dataKey,
            byte[] payloadEnc, int attempts, byte[] senderRef) {
    }
}
