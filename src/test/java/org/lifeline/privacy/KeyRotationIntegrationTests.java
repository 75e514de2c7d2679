package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lifeline.platform.DataDirectory;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@PersistenceTest
class KeyRotationIntegrationTests {

    @Autowired
    KeyRotation rotation;

    @Autowired
    TinkDataProtection protection;

    @Autowired
    KeysetStore keysets;

    @Autowired
    DataKeys dataKeys;

    @Autowired
    DataDirectory dataDirectory;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    Clock clock;

    @Test
    void reWrapsEveryLiveDataKeyUnderTheNewPrimaryAndKeepsDataReadable() {
        var before = keysets.master().primaryKeyId();
        var kept = protection.newDataKey();
        var ciphertext = protection.encrypt(kept, "Ким Чol Су 김철수", "test:" + kept.value());
        var destroyed = protection.newDataKey();
        protection.destroy(destroyed);

        var result = rotation.rotateMasterKey();

        assertThat(result.primaryKeyId()).isNotEqualTo(before).isEqualTo(keysets.master().primaryKeyId());
        assertThat(result.rewrapped()).isPositive();
        assertThat(result.destroyed()).isPositive();
        assertThat(jdbc.sql("select distinct master_key_id from data_key where wrapped_key is not null")
                .query(Integer.class).list()).containsExactly(result.primaryKeyId());
        assertThat(jdbc.sql("select count(*) from data_key where id = ? and wrapped_key is null")
                .param(destroyed.value()).query(Integer.class).single()).as("destroyed stays destroyed").isOne();
        protection.cache().evict(kept.value());
        assertThat(protection.decrypt(kept, ciphertext, "test:" + kept.value())).isEqualTo("Ким Чol Су 김철수");
    }

    @Test
    void aRunningServerReadsKeysReWrappedByAnotherProcess() {
        var key = protection.newDataKey();
        var ciphertext = protection.encrypt(key, "안녕하세요", "test:" + key.value());
        var otherProcess = new KeyRotation(new KeysetStore(KeysetStoreTests.settings(null, null), dataDirectory),
                dataKeys, transactions, List.of(), event -> { }, anotherProcessPrimaries());

        otherProcess.rotateMasterKey();
        protection.cache().evict(key.value());

        assertThat(protection.decrypt(key, ciphertext, "test:" + key.value())).isEqualTo("안녕하세요");
    }

    @Test
    void whatWasSignedUnderTheIndexKeyJustBeforeAnotherProcessRotatedItIsCheckedUnderTheOldKeyForItsLifeOnly() {
        var life = Duration.ofMinutes(30);
        var signedBefore = protection.blindIndex("test.short-lived", "a start");
        var otherProcess = new KeyRotation(new KeysetStore(KeysetStoreTests.settings(null, null), dataDirectory),
                dataKeys, transactions, List.of(), event -> { }, anotherProcessPrimaries());

        otherProcess.rotateIndexKey();

        var now = clock.instant();
        var current = protection.blindIndex("test.short-lived", "a start");
        assertThat(current).as("this node signs under the new key").isNotEqualTo(signedBefore);
        assertThat(protection.blindIndexesAfter("test.short-lived", "a start", now.minus(life)))
                .as("within its life after the rotation").startsWith(current).contains(signedBefore);
        assertThat(protection.blindIndexesAfter("test.short-lived", "a start", now))
                .as("once its life has passed since the rotation").containsExactly(current);
    }

    /** What another process on the same database knows of the index keys: only what the database tells it. */
    private IndexKeyPrimaries anotherProcessPrimaries() {
        return new IndexKeyPrimaries(jdbc, clock, transactionManager);
    }
}
