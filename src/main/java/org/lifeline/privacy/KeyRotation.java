package org.lifeline.privacy;

import org.lifeline.privacy.envelope.MasterKey;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Master key rotation: a new primary master key, then every live data key re-wrapped under it. */
@Service
class KeyRotation {

    static final int BATCH_SIZE = 500;

    private final KeysetStore keysets;
    private final DataKeys dataKeys;
    private final TransactionTemplate transactions;

    KeyRotation(KeysetStore keysets, DataKeys dataKeys, TransactionTemplate transactions) {
        this.keysets = keysets;
        this.dataKeys = dataKeys;
        this.transactions = transactions;
    }

    /**
     * The keyset file is written before any row changes, so an interruption leaves every row readable; running
     * it again finishes the job. Old master keys stay in the keyset.
     *
     * @throws IllegalStateException when the master keyset comes from configuration
     */
    Result rotateMasterKey() {
        return keysets.rotateMaster(master -> {
            long rewrapped = 0;
            int batch;
            do {
                batch = rewrapBatch(master);
                rewrapped += batch;
            } while (batch > 0);
            return new Result(master.primaryKeyId(), rewrapped, dataKeys.countDestroyed());
        });
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
