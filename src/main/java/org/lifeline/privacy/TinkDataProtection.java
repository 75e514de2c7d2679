package org.lifeline.privacy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.lifeline.platform.TimeOrderedIds;
import org.lifeline.privacy.envelope.DataKey;
import org.lifeline.privacy.envelope.EnvelopeException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link DataProtection} on the Tink envelope, with data keys stored wrapped in {@code data_key}. */
@Component
class TinkDataProtection implements DataProtection, SmartInitializingSingleton {

    private final KeysetStore keysets;
    private final DataKeys dataKeys;
    private final DataKeyCache cache;
    private final ErasureJournal journal;
    private final Clock clock;
    private final ObjectProvider<ErasureReapplication> reapplication;
    private final IndexKeyPrimaries primaries;

    private final TransactionTemplate transaction;

    TinkDataProtection(KeysetStore keysets, DataKeys dataKeys, ErasureJournal journal, PrivacySettings settings,
            Clock clock, ObjectProvider<ErasureReapplication> reapplication, PlatformTransactionManager transactions,
            IndexKeyPrimaries primaries) {
        this.keysets = keysets;
        this.primaries = primaries;
        this.reapplication = reapplication;
        this.dataKeys = dataKeys;
        this.journal = journal;
        this.cache = new DataKeyCache(settings.dataKeyCacheSize(), settings.dataKeyCacheTtl(), clock);
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Fails closed when this node's master keyset is not the one the database was written with; then, with keys that
     * unwrap, erases again what the erasure journal says was erased and the database still holds. A primary index key
     * this node is the first to use (restarted with a rotated keyset from the secret store) is recorded as such now.
     */
    @Override
    public void afterSingletonsInstantiated() {
        checkKeysUsable();
        primaries.since(keysets.index().primaryKeyId());
        reapplication.ifAvailable(ErasureReapplication::reapply);
    }

    void checkKeysUsable() {
        dataKeys.anyLive().ifPresent(stored -> {
            try {
                unwrap(stored.id(), stored.wrappedKey());
            } catch (EnvelopeException e) {
                throw new KeysUnusable("The master keyset cannot unwrap the data keys in this database: "
                        + "this node does not have the keys the data was written with. Every node needs the same "
                        + "keysets (lifeline.crypto.master-keyset and .index-keyset, or the same <data-dir>/keys).", e);
            }
        });
    }

    @Override
    public DataKeyId newDataKey() {
        var id = TimeOrderedIds.next();
        var created = keysets.master().newDataKey(id);
        dataKeys.insert(id, created.wrapped(), clock.instant());
        cache.put(id, created.key());
        return new DataKeyId(id);
    }

    @Override
    public byte[] encrypt(DataKeyId key, String plaintext, String context) {
        return dataKey(key).encrypt(plaintext, context);
    }

    @Override
    public String decrypt(DataKeyId key, byte[] ciphertext, String context) {
        return dataKey(key).decrypt(ciphertext, context);
    }

    @Override
    public byte[] encryptBytes(DataKeyId key, byte[] plaintext, String context) {
        return dataKey(key).encryptBytes(plaintext, context);
    }

    @Override
    public byte[] decryptBytes(DataKeyId key, byte[] ciphertext, String context) {
        return dataKey(key).decryptBytes(ciphertext, context);
    }

    @Override
    public byte[] blindIndex(String purpose, String value) {
        return keysets.index().compute(purpose, value);
    }

    @Override
    public List<byte[]> blindIndexes(String purpose, String value) {
        return keysets.index().computeAll(purpose, value);
    }

    @Override
    public List<byte[]> blindIndexesAfter(String purpose, String value, Instant after) {
        var index = keysets.index();
        // the older keys were all replaced by the current one: any of them was primary after `after` if it was
        return primaries.since(index.primaryKeyId()).isAfter(after) ? index.computeAll(purpose, value)
                : List.of(index.compute(purpose, value));
    }

    @Override
    public void destroy(DataKeyId key) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            // the key takes its place in the order of erasures as its transaction commits
            transaction.executeWithoutResult(status -> destroy(key));
            return;
        }
        var now = clock.instant();
        if (dataKeys.destroy(key.value(), now)) {
            journal.recordAtCommit(key.value(), now);
        }
        cache.evict(key.value());
    }

    DataKeyCache cache() {
        return cache;
    }

    private DataKey dataKey(DataKeyId id) {
        var cached = cache.get(id.value());
        if (cached != null) {
            return cached;
        }
        var stored = dataKeys.find(id.value())
                .orElseThrow(() -> new IllegalArgumentException("No data key " + id.value()));
        if (stored.wrappedKey() == null) {
            throw new DataKeyDestroyed(id);
        }
        var key = unwrap(id.value(), stored.wrappedKey());
        cache.put(id.value(), key);
        return key;
    }

    private DataKey unwrap(UUID id, byte[] wrapped) {
        try {
            return keysets.master().unwrap(id, wrapped);
        } catch (EnvelopeException e) {
            // another process may have rotated the keyset within the file time stamp's resolution
            return keysets.reloadMaster().unwrap(id, wrapped);
        }
    }
}
