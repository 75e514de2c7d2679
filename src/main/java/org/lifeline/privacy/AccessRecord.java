package org.lifeline.privacy;

import java.sql.ResultSet;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.lifeline.platform.SqlTimestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.lifeline.privacy.AccessChain.Head;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The append-only access record: who did what, to which subject, when, and whether it worked. The one place that
 * writes {@code access_log}. Entries hold ids and action names only: never a password, a code, an address or a
 * person's data.
 * <p>
 * Entries form a hash chain ({@link AccessChain}): appending locks the head row, so nodes sharing a database append
 * one at a time, in the transaction of the action recorded (an action rolled back leaves no entry).
 */
@Service
public class AccessRecord {

    public enum Outcome {
        SUCCEEDED,
        /** Wrong password or code. */
        FAILED,
        /** Not allowed: locked, disabled, or against a rule. */
        REFUSED
    }

    /**
     * @param actor the signed-in operator, or null (a failed sign-in under an unknown name, the command line)
     * @param subject the id of what was acted on (an operator, a case), or null
     * @param seq its place in the chain; 0 for an entry written before the chain existed
     */
    public record Entry(long id, Instant at, UUID actor, String action, String subject, Outcome outcome,
            long seq) {
    }

    /**
     * What to show of the record; every part optional ({@code null}).
     *
     * @param before only entries older than this sequence number (the next page)
     * @param from only entries at or after this instant
     * @param until only entries before this instant
     */
    public record Filter(UUID actor, String action, String subject, Outcome outcome, Instant from,
            Instant until, Long before) {

        public static Filter none() {
            return new Filter(null, null, null, null, null, null, null);
        }
    }

    /**
     * The result of checking the chain.
     *
     * @param checked chained entries checked
     * @param unchained entries from before the chain existed, which cannot be checked
     * @param problem what is wrong, naming the first broken entry; {@code null} when intact
     */
    public record Verification(long checked, long unchained, String head, String problem) {

        public boolean intact() {
            return problem == null;
        }
    }

    /** Action names are constants such as {@code sign-in.password} or {@code case.read}, never data. */
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9.-]{0,63}");

    private static final Logger log = LoggerFactory.getLogger(AccessRecord.class);

    /** The purpose of the checkpoint's keyed hash, apart from every blind index's. */
    private static final String SEAL = "access-record.checkpoint";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final CurrentActor actors;
    private final DataProtection protection;

    AccessRecord(JdbcClient jdbc, Clock clock, CurrentActor actors, DataProtection protection) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.actors = actors;
        this.protection = protection;
    }

    /** Records an action by the signed-in operator (none on the command line). */
    @Transactional
    public void record(String action, String subject, Outcome outcome) {
        record(actors.id().orElse(null), action, subject, outcome);
    }

    @Transactional
    public void record(UUID actor, String action, String subject, Outcome outcome) {
        if (!ACTION.matcher(action).matches() || subject != null && subject.length() > 64) {
            throw new IllegalArgumentException("An access record takes an action name and an id, not data");
        }
        var head = lockHead();
        // the database keeps microseconds: the instant hashed is the one read back
        var at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var seq = head.seq() + 1;
        var hash = AccessChain.hash(head.hash(), seq, at, actor, action, subject, outcome.name());
        jdbc.sql("""
                        insert into access_log (occurred_at, actor_id, action, subject_id, outcome, seq, entry_hash)
                        values (:at, :actor, :action, :subject, :outcome, :seq, :hash)""")
                .param("at", SqlTimestamps.of(at))
                .param("actor", actor)
                .param("action", action)
                .param("subject", subject)
                .param("outcome", outcome.name())
                .param("seq", seq)
                .param("hash", hash)
                .update();
        jdbc.sql("update access_log_head set seq = ?, entry_hash = ? where id = 1").params(seq, hash).update();
    }

    /** The newest entries first. */
    @Transactional(readOnly = true)
    public List<Entry> latest(int limit) {
        return search(Filter.none(), limit);
    }

    /** The newest entries matching the filter first. */
    @Transactional(readOnly = true)
    public List<Entry> search(Filter filter, int limit) {
        var conditions = new StringBuilder("select * from access_log where 1 = 1");
        if (filter.actor() != null) {
            conditions.append(" and actor_id = :actor");
        }
        if (filter.action() != null) {
            conditions.append(" and action like :action");
        }
        if (filter.subject() != null) {
            conditions.append(" and subject_id = :subject");
        }
        if (filter.outcome() != null) {
            conditions.append(" and outcome = :outcome");
        }
        if (filter.from() != null) {
            conditions.append(" and occurred_at >= :from");
        }
        if (filter.until() != null) {
            conditions.append(" and occurred_at < :until");
        }
        if (filter.before() != null) {
            conditions.append(" and seq < :before");
        }
        conditions.append(" order by coalesce(seq, 0) desc, id desc limit :limit");
        var statement = jdbc.sql(conditions.toString()).param("limit", limit);
        if (filter.actor() != null) {
            statement = statement.param("actor", filter.actor());
        }
        if (filter.action() != null) {
            // a prefix: "case." finds every case action; the pattern characters are not allowed in action names
            statement = statement.param("action", filter.action() + "%");
        }
        if (filter.subject() != null) {
            statement = statement.param("subject", filter.subject());
        }
        if (filter.outcome() != null) {
            statement = statement.param("outcome", filter.outcome().name());
        }
        if (filter.from() != null) {
            statement = statement.param("from", SqlTimestamps.of(filter.from()));
        }
        if (filter.until() != null) {
            statement = statement.param("until", SqlTimestamps.of(filter.until()));
        }
        if (filter.before() != null) {
            statement = statement.param("before", filter.before());
        }
        return statement.query(AccessRecord::entry).list();
    }

    /** The newest entry's sequence number and hash: keep it somewhere else, to compare later. */
    @Transactional(readOnly = true)
    public String head() {
        return readHead().head().toString();
    }

    /**
     * Checks the whole chain from the last retention checkpoint on, and that it ends at the head row and (when
     * given) passes through a head exported earlier.
     *
     * @param exported a head printed by {@link #head()} earlier, or {@code null}
     * @throws IllegalArgumentException if {@code exported} is not in the form {@link #head()} prints
     */
    @Transactional(readOnly = true)
    public Verification verify(String exported) {
        var expected = exported == null ? null : Head.parse(exported);
        var state = readHead();
        var walk = new Walk(state, expected);
        var unchained = unchained(state);
        jdbc.sql("select * from access_log where seq is not null or id > ? order by seq nulls first, id")
                .param(state.legacyUntilId())
                .query(rs -> {
                    walk.next(entry(rs, 0), rs.getString("entry_hash"));
                });
        var problem = walk.finish();
        if (problem == null) {
            problem = switch (seal(state, unchained)) {
                case SEALED, NOT_NEEDED -> null;
                case UNSEALED -> "the retention checkpoint (entry " + state.checkpointSeq() + ") and the "
                        + unchained + " entries from before the chain are not sealed: check the record against a "
                        + "head exported earlier, then run `audit seal`";
                case BROKEN -> "the retention checkpoint (entry " + state.checkpointSeq() + ") or the entries from "
                        + "before the chain were changed by hand: entries were deleted from the start, or inserted "
                        + "as older than the chain";
            };
        }
        return new Verification(walk.checked, unchained, state.head().toString(), problem);
    }

    /**
     * Seals the retention checkpoint and the entries from before the chain as they are now, for a record cut or
     * with older entries before sealing existed (a retention run seals what it cuts). Check the record against a
     * head exported earlier first: what this seals is taken as it stands.
     */
    @Transactional
    public void seal() {
        var state = lockState();
        writeSeal(state.checkpointSeq(), state.checkpointHash(), state.legacyUntilId(), unchained(state));
        record(null, "access-record.seal", null, Outcome.SUCCEEDED);
    }

    /** How the checkpoint and the entries from before the chain stand against their seal. */
    private enum Sealing {
        SEALED, NOT_NEEDED, UNSEALED, BROKEN
    }

    private Sealing seal(State state, long unchained) {
        if (state.seal() == null) {
            return state.checkpointSeq() == 0 && unchained == 0 ? Sealing.NOT_NEEDED : Sealing.UNSEALED;
        }
        var sealed = sealed(state.checkpointSeq(), state.checkpointHash(), state.legacyUntilId(), unchained);
        return protection.blindIndexes(SEAL, sealed).stream().anyMatch(seal -> MessageDigest.isEqual(seal, state.seal()))
                ? Sealing.SEALED : Sealing.BROKEN;
    }

    private void writeSeal(long checkpointSeq, String checkpointHash, long legacyUntilId, long unchained) {
        jdbc.sql("update access_log_head set checkpoint_seal = ? where id = 1")
                .param(protection.blindIndex(SEAL, sealed(checkpointSeq, checkpointHash, legacyUntilId, unchained)))
                .update();
    }

    private static String sealed(long checkpointSeq, String checkpointHash, long legacyUntilId, long unchained) {
        return checkpointSeq + ":" + checkpointHash + ":" + legacyUntilId + ":" + unchained;
    }

    private long unchained(State state) {
        return jdbc.sql("select count(*) from access_log where seq is null and id <= ?")
                .param(state.legacyUntilId()).query(Long.class).single();
    }

    /**
     * Removes entries older than {@code cutoff} from the start of the chain, keeping the hash of the last one
     * removed as the checkpoint verification starts from.
     *
     * @param dryRun count only
     * @return the entries removed (or that would be)
     */
    @Transactional
    public long removeOlderThan(Instant cutoff, boolean dryRun) {
        var state = lockState();
        var sealing = seal(state, unchained(state));
        if (sealing == Sealing.BROKEN || sealing == Sealing.UNSEALED) {
            // cutting would seal what someone may have done by hand: nothing goes until the record is checked
            log.warn("The access record's retention checkpoint is {}: nothing removed; run audit verify",
                    sealing == Sealing.BROKEN ? "broken" : "not sealed");
            return 0;
        }
        var firstKept = jdbc.sql("select min(seq) from access_log where seq is not null and occurred_at >= ?")
                .param(SqlTimestamps.of(cutoff)).query(Long.class).optional().orElse(null);
        var lastRemoved = firstKept == null ? state.head().seq() : firstKept - 1;
        var chained = lastRemoved <= state.checkpointSeq() ? 0
                : jdbc.sql("select count(*) from access_log where seq is not null and seq <= ?")
                        .param(lastRemoved).query(Long.class).single();
        var legacy = jdbc.sql("select count(*) from access_log where seq is null and id <= ? and occurred_at < ?")
                .params(state.legacyUntilId(), SqlTimestamps.of(cutoff)).query(Long.class).single();
        if (dryRun) {
            return chained + legacy;
        }
        if (chained > 0) {
            var hash = jdbc.sql("select entry_hash from access_log where seq = ?").param(lastRemoved)
                    .query(String.class).single();
            jdbc.sql("delete from access_log where seq is not null and seq <= ?").param(lastRemoved).update();
            jdbc.sql("update access_log_head set checkpoint_seq = ?, checkpoint_hash = ? where id = 1")
                    .params(lastRemoved, hash).update();
        }
        jdbc.sql("delete from access_log where seq is null and id <= ? and occurred_at < ?")
                .params(state.legacyUntilId(), SqlTimestamps.of(cutoff)).update();
        if (chained > 0 || legacy > 0) {
            var now = lockState();
            writeSeal(now.checkpointSeq(), now.checkpointHash(), now.legacyUntilId(), unchained(now));
        }
        return chained + legacy;
    }

    private Head lockHead() {
        return lockState().head();
    }

    private State lockState() {
        return jdbc.sql("select * from access_log_head where id = 1 for update").query(AccessRecord::state).single();
    }

    private State readHead() {
        return jdbc.sql("select * from access_log_head where id = 1").query(AccessRecord::state).single();
    }

    private static State state(ResultSet rs, int row) throws SQLException {
        return new State(new Head(rs.getLong("seq"), rs.getString("entry_hash")), rs.getLong("checkpoint_seq"),
                rs.getString("checkpoint_hash"), rs.getLong("legacy_until_id"), rs.getBytes("checkpoint_seal"));
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        var outcome = rs.getString("outcome");
        return new Entry(rs.getLong("id"), SqlTimestamps.read(rs, "occurred_at"),
                rs.getObject("actor_id", UUID.class), rs.getString("action"), rs.getString("subject_id"),
                Optional.ofNullable(outcome).flatMap(AccessRecord::outcome).orElse(null), rs.getLong("seq"));
    }

    private static Optional<Outcome> outcome(String name) {
        try {
            return Optional.of(Outcome.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private record State(Head head, long checkpointSeq, String checkpointHash, long legacyUntilId, byte[] seal) {
    }

    /** Walks the chain in sequence order and remembers the first thing wrong. */
    private static final class Walk {

        private final State state;
        private final Head exported;
        private long expectedSeq;
        private String previous;
        private long checked;
        private boolean exportedSeen;
        private String problem;

        Walk(State state, Head exported) {
            this.state = state;
            this.exported = exported;
            this.expectedSeq = state.checkpointSeq() + 1;
            this.previous = state.checkpointHash();
            if (exported != null && exported.seq() == state.checkpointSeq()) {
                exportedSeen = true;
                if (!exported.hash().equals(state.checkpointHash())) {
                    problem = "the retention checkpoint at entry " + exported.seq()
                            + " does not match the exported head: the record was rewritten";
                }
            }
        }

        void next(Entry entry, String storedHash) {
            if (problem != null) {
                return;
            }
            if (entry.seq() == 0) {
                problem = "entry id " + entry.id() + " is not part of the chain: it was inserted";
                return;
            }
            if (entry.seq() > expectedSeq) {
                problem = "entry " + expectedSeq + (entry.seq() - expectedSeq > 1 ? " to " + (entry.seq() - 1) : "")
                        + " is missing: deleted (next present: entry " + entry.seq() + ", id " + entry.id() + ")";
                return;
            }
            if (entry.seq() < expectedSeq) {
                problem = "entry " + entry.seq() + " (id " + entry.id() + ") "
                        + (entry.seq() <= state.checkpointSeq() ? "lies before the retention checkpoint"
                        : "appears twice") + ": inserted";
                return;
            }
            var outcome = entry.outcome() == null ? null : entry.outcome().name();
            var computed = AccessChain.hash(previous, entry.seq(), entry.at(), entry.actor(), entry.action(), entry.subject(),
                    outcome);
            if (!computed.equals(storedHash)) {
                problem = "entry " + entry.seq() + " (id " + entry.id() + ") does not match its hash: it, or the "
                        + "order of entries, was altered";
                return;
            }
            if (exported != null && entry.seq() == exported.seq()) {
                exportedSeen = true;
                if (!computed.equals(exported.hash())) {
                    problem = "entry " + entry.seq() + " (id " + entry.id() + ") is not the one the exported head "
                            + "names: the record was rewritten";
                    return;
                }
            }
            previous = computed;
            expectedSeq++;
            checked++;
        }

        String finish() {
            if (problem != null) {
                return problem;
            }
            var last = expectedSeq - 1;
            if (last < state.head().seq()) {
                return "entry " + (last + 1) + (state.head().seq() > last + 1 ? " to " + state.head().seq() : "")
                        + " is missing: deleted from the end";
            }
            if (last > state.head().seq() || !previous.equals(state.head().hash())) {
                return "the head row does not match entry " + last + ": the head or the last entries were altered";
            }
            if (exported != null && !exportedSeen) {
                return exported.seq() < state.checkpointSeq()
                        ? "the exported head (entry " + exported.seq() + ") lies before the retention checkpoint "
                                + "(entry " + state.checkpointSeq() + "): export the head after each retention run"
                        : "entry " + exported.seq() + " of the exported head is missing: the record was truncated "
                                + "and rebuilt";
            }
            return null;
        }
    }
}
