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

import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.envelope.WrappedDataKey;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code data_key} table: wrapped data keys only, never a key in the clear. */
@Repository
class DataKeys {

    private final JdbcClient jdbc;

    DataKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    /** @return whether it was live until now */
    boolean destroy(UUID id, Instant at) {
        return jdbc.sql("""
                        update data_key set wrapped_key = null, master_key_id = null, destroyed_at = ?
                        where id = ? and destroyed_at is null""")
                .params(SqlTimestamps.of(at), id)
                .update() > 0;
    }

    /** The keys destroyed, with when (any time for those destroyed before the time was kept). */
    Map<UUID, Instant> destroyed() {
        var destroyed = new HashMap<UUID, Instant>();
        jdbc.sql("select id, destroyed_at from data_key where wrapped_key is null").query(rs -> {
            destroyed.put(rs.getObject(1, UUID.class), SqlTimestamps.read(rs, "destroyed_at"));
        });
        return destroyed;
    }

    /** Those of these keys that are in the table and live, asked for a thousand at a time. */
    Set<UUID> liveAmong(Collection<UUID> ids) {
        var live = new HashSet<UUID>();
        var batch = new ArrayList<UUID>(1000);
        for (var id : ids) {
            batch.add(id);
            if (batch.size() == 1000) {
                live.addAll(liveAmongBatch(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            live.addAll(liveAmongBatch(batch));
        }
        return live;
    }

    private List<UUID> liveAmongBatch(List<UUID> ids) {
        return jdbc.sql("select id from data_key where wrapped_key is not null and id in (:ids)")
                .param("ids", ids).query(UUID.class).list();
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
