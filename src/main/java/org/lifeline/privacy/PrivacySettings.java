package org.lifeline.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param masterKeyset Tink JSON keyset (AEAD) that wraps data keys, from a secret store; when unset (together with
 *         {@code indexKeyset}), keysets are generated into {@code <data-dir>/keys}
 * @param indexKeyset Tink JSON keyset (MAC) for blind indexes
 * @param dataKeyCacheSize how many unwrapped data keys to keep in memory
 * @param dataKeyCacheTtl how long an unwrapped data key stays cached, which bounds how long another node may still
 *         read data after a key was destroyed
 * @param erasureJournal the file recording every data key destroyed, outside the database
 *         ({@link ErasureJournal}); when unset, {@code <data-dir>/keys/erasures.log}. Set it where the keys come from
 *         configuration and the data directory is not kept, or to storage the nodes share
 */
@ConfigurationProperties("lifeline.crypto")
record PrivacySettings(
        String masterKeyset,
        String indexKeyset,
        @DefaultValue("10000") int dataKeyCacheSize,
        @DefaultValue("1m") Duration dataKeyCacheTtl,
        java.nio.file.Path erasureJournal) {

    boolean keysetsConfigured() {
        if (hasText(masterKeyset) != hasText(indexKeyset)) {
            // half of the keys from the secret store and half generated per node would split the data silently
            throw new KeysUnusable("Set both lifeline.crypto.master-keyset and lifeline.crypto.index-keyset "
                    + "(from your secret store), or neither to have keysets generated in the data directory", null);
        }
        return hasText(masterKeyset);
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** Never prints the keysets. */
    @Override
    public String toString() {
        return "PrivacySettings[keysetsConfigured=" + hasText(masterKeyset) + ", dataKeyCacheSize=" + dataKeyCacheSize
                + ", dataKeyCacheTtl=" + dataKeyCacheTtl + ", erasureJournal=" + erasureJournal + "]";
    }
}
