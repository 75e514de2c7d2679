package org.lifeline.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.lifeline.privacy.envelope.MasterKey;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Master key rotation: a new primary master key, then every live data key re-wrapped under it. */
@Service
class KeyRotation {

    static final int BATCH_SIZE = 500;

    private final KeysetStore keysets;
    private final DataKeys dataKeys;
    private final TransactionTemplate transactions;

    private final List<BlindIndexed> indexed;
    private final ApplicationEventPublisher events;
    private final IndexKeyPrimaries primaries;

    KeyRotation(KeysetStore keysets, DataKeys dataKeys, TransactionTemplate transactions, List<BlindIndexed> indexed,
            ApplicationEventPublisher events, IndexKeyPrimaries primaries) {
        this.primaries = primaries;
        this.keysets = keysets;
        this.dataKeys = dataKeys;
        this.transactions = transactions;
        this.indexed = indexed;
        this.events = events;
    }

    /**
     * A new primary blind-index key (the older ones stay, for lookups of what cannot be re-indexed), then every
     * stored index that can be recomputed is recomputed under it.
     *
     * @return per kind of index, how many changed
     */
    Map<String, Long> rotateIndexKey() {
        var changed = keysets.rotateIndex(index -> {
            // the moment of the rotation, for every node: what was made under the older key lives on that long
            primaries.since(index.primaryKeyId());
            var reindexed = new LinkedHashMap<String, Long>();
            indexed.forEach(kind -> reindexed.put(kind.what(), kind.reindex()));
            return reindexed;
        });
        events.publishEvent(new PrivacyOperationCompleted("keys.rotate-index"));
        return changed;
    }

    /**
     * The keyset file is written before any row changes, so an interruption leaves every row readable; running
     * it again finishes the job. Old master keys stay in the keyset.
     *
     * @throws IllegalStateException when the master keyset comes from configuration
     */
    Result rotateMasterKey() {
        var result = keysets.rotateMaster(master -> {
            long rewrapped = 0;
            int batch;
            do {
                batch = rewrapBatch(master);
                rewrapped += batch;
            } while (batch > 0);
            return new Result(master.primaryKeyId(), rewrapped, dataKeys.countDestroyed());
        });
        events.publishEvent(new PrivacyOperationCompleted("keys.rotate"));
        return result;
    }

    /**
     * Removes the master keys older than the primary from the keyset file, so that a backup of the database taken
     * before a deletion no longer opens the deleted data once every copy of the old keyset is gone too.
     *
     * @return the ids of the keys removed (none when there is only the primary)
     * @throws IllegalStateException when data keys are still wrapped under an older key, or the keyset comes from
     *         configuration
     */
    Set<Integer> retireOlderMasterKeys() {
        var retired = keysets.retireOlderMasterKeys(older -> {
            var wrapped = dataKeys.countWrappedBy(older);
            if (wrapped > 0) {
                throw new IllegalStateException(wrapped + " data keys are still wrapped under an older master key, "
                        + "which therefore stays: run `keys rotate` (or let an interrupted one finish) first");
            }
        }, previous -> {
            // another node may have wrapped a new data key under the old primary just before the rotation reached it
            int batch;
            do {
                batch = rewrapBatch(previous);
            } while (batch > 0);
        });
        if (!retired.isEmpty()) {
            events.publishEvent(new PrivacyOperationCompleted("keys.retire"));
        }
        return retired;
    }

    private int rewrapBatch(MasterKey master) {
        return transactions.execute(status -> {
            var batch = dataKeys.wrappedByOtherThan(master.primaryKeyId(), BATCH_SIZE);
            batch.forEach(stored -> dataKeys.rewrap(stored.id(), master.rewrap(stored.id(), stored.wrappedKey())));
            return batch.size();
        });
    }

    /**
     * @param primaryKeyId the new primary master key (a Tink key id, not secret)
     * @param rewrapped data keys now wrapped under it
     * @param destroyed destroyed data keys, which have nothing left to re-wrap
     */
    record Result(int primaryKeyId, long rewrapped, long destroyed) {
    }
}
