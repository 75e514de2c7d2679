package org.lifeline.privacy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.lifeline.platform.InLists;
import org.lifeline.platform.SqlTimestamps;
import org.lifeline.platform.TransactionScoped;
import org.lifeline.privacy.envelope.WrappedDataKey;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The {@code data_key} table: wrapped data keys only, never a key in the clear. */
@Repository
class DataKeys {

    private final JdbcClient jdbc;
    private final TransactionScoped<Ordering> unordered;

    DataKeys(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.unordered = new TransactionScoped<>(dataSource, Ordering::new);
    }

    void insert(UUID id, WrappedDataKey wrapped, Instant createdAt) {
        jdbc.sql("insert into data_key (id, wrapped_key, master_key_id, created_at) values (?, ?, ?, ?)")
                .params(id, wrapped.bytes(), wrapped.masterKeyId(), SqlTimestamps.of(createdAt))
                .update();
    }

    Optional<Stored> find(UUID id) {
        return jdbc.sql("select id, wrapped_key from data_key where id = ?").param(id).query(STORED).optional();
    }

    /** Any one live wrapped key, to check at start-up that the master keyset can unwrap what is stored. */
    Optional<Stored> anyLive() {
        return jdbc.sql("select id, wrapped_key from data_key where wrapped_key is not null fetch first 1 rows only")
                .query(STORED)
                .optional();
    }

    /**
     * What a destroyed key's number is until its transaction numbers it, just before it commits: the database refuses a
     * destroyed key without a number (V326), which code from before the numbering would leave.
     */
    private static final long NUMBERED_AT_COMMIT = -1;

    /**
     * Destroys a live key, in the transaction under way: just before it commits, the keys it destroyed take the next
     * number of {@code data_key_destruction_count}, the order in which erasing transactions commit.
     *
     * @return whether it was live until now
     */
    boolean destroy(UUID id, Instant at) {
        var destroyed = jdbc.sql("""
                        update data_key set wrapped_key = null, master_key_id = null, destroyed_at = ?, destroyed_seq = ?
                        where id = ? and destroyed_at is null""")
                .params(SqlTimestamps.of(at), NUMBERED_AT_COMMIT, id)
                .update() > 0;
        if (destroyed) {
            var ordering = unordered.get();
            if (ordering == null) {
                if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                    throw new IllegalStateException("A data key is destroyed in a transaction only");
                }
                // a transaction of its own inside one that destroyed keys already: numbered as it commits
                ordering = new Ordering();
            }
            if (ordering.committing) {
                order(List.of(id));
            } else {
                ordering.register(this);
                ordering.keys.add(id);
            }
        }
        return destroyed;
    }

    /** The keys one transaction destroyed, given their number just before it commits. */
    private static final class Ordering {
        private final List<UUID> keys = new ArrayList<>();
        private boolean registered;
        /** Numbered already: a key destroyed after, by another synchronization's beforeCommit, is numbered at once. */
        private boolean committing;

        void register(DataKeys dataKeys) {
            if (registered) {
                return;
            }
            registered = true;
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    committing = true;
                    dataKeys.order(keys);
                }
            });
        }
    }

    /**
     * Gives the keys the next number. The counter's row stays locked until the commit, so another transaction takes
     * the number after only once this one has committed: whoever sees a number sees every smaller one.
     */
    private void order(List<UUID> keys) {
        jdbc.sql("update data_key_destruction_count set last_seq = last_seq + 1 where id = 1").update();
        var seq = lastDestruction();
        InLists.each(keys, batch -> jdbc.sql("update data_key set destroyed_seq = :seq where id in (:ids)")
                .param("seq", seq).param("ids", batch).update());
    }

    /** The number of the latest erasing transaction committed: every key destroyed up to it is visible. */
    long lastDestruction() {
        return jdbc.sql("select last_seq from data_key_destruction_count where id = 1").query(Long.class).single();
    }

    /** The keys destroyed, with when (any time for those destroyed before the time was kept). */
    Map<UUID, Instant> destroyed() {
        return destroyed("select id, destroyed_at from data_key where wrapped_key is null");
    }

    /** The keys destroyed by transactions numbered after this one. */
    Map<UUID, Instant> destroyedAfter(long seq) {
        return destroyed("select id, destroyed_at from data_key where destroyed_seq > ?", seq);
    }

    private Map<UUID, Instant> destroyed(String select, Object... params) {
        var destroyed = new HashMap<UUID, Instant>();
        jdbc.sql(select).params(params).query(rs -> {
            destroyed.put(rs.getObject(1, UUID.class), SqlTimestamps.read(rs, "destroyed_at"));
        });
        return destroyed;
    }

    /** Those of these keys that are in the table and live, asked for a thousand at a time. */
    Set<UUID> liveAmong(Collection<UUID> ids) {
        return new HashSet<>(InLists.queried(ids, batch -> jdbc
                .sql("select id from data_key where wrapped_key is not null and id in (:ids)")
                .param("ids", batch).query(UUID.class).list()));
    }

    List<Stored> wrappedByOtherThan(int masterKeyId, int limit) {
        return jdbc.sql("""
                        select id, wrapped_key from data_key
                        where wrapped_key is not null and master_key_id <> ?
                        order by id fetch first ? rows only""")
                .params(masterKeyId, limit)
                .query(STORED)
                .list();
    }

    /** Replaces a wrapped key, unless it was destroyed in the meantime. */
    void rewrap(UUID id, WrappedDataKey wrapped) {
        jdbc.sql("update data_key set wrapped_key = ?, master_key_id = ? where id = ? and wrapped_key is not null")
                .params(wrapped.bytes(), wrapped.masterKeyId(), id)
                .update();
    }

    /** Live data keys wrapped under any of these master keys. */
    long countWrappedBy(Set<Integer> masterKeyIds) {
        return jdbc.sql("select count(*) from data_key where wrapped_key is not null and master_key_id in (:ids)")
                .param("ids", List.copyOf(masterKeyIds)).query(Long.class).single();
    }

    long countDestroyed() {
        return jdbc.sql("select count(*) from data_key where wrapped_key is null").query(Long.class).single();
    }

    /** @param wrappedKey {@code null} once destroyed */
    record Stored(UUID id, byte[] wrappedKey) {
    }

    /**
     * By column position: Spring's mapping of a record looks each component up by its own name first
     * ({@code wrappedKey}), and H2 throws an exception for every column it does not have, at every key read.
     */
    private static final org.springframework.jdbc.core.RowMapper<Stored> STORED =
            (rs, n) -> new Stored(rs.getObject(1, UUID.class), rs.getBytes(2));
}
