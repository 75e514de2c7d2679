package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.privacy.envelope.EnvelopeException;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

@SpringBootTest
@PersistenceTest
class DataProtectionIntegrationTests {

    @Autowired
    TinkDataProtection protection;

    @Autowired
    KeysetStore keysets;

    @Autowired
    DataKeys dataKeys;

    @Autowired
    ErasureJournal journal;

    @Autowired
    PrivacySettings settings;

    @Autowired
    Clock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectProvider<ErasureReapplication> reapplication;

    @Autowired
    PlatformTransactionManager transactions;

    /** Another node on the same database, built as Lifeline builds its own. */
    private TinkDataProtection anotherNode(KeysetStore keys) {
        return new TinkDataProtection(keys, dataKeys, journal, settings, clock, reapplication, transactions,
                new IndexKeyPrimaries(jdbc, clock, transactions));
    }

    @Test
    void storesTheDataKeyWrappedSoThatAnotherNodeCanReadTheData() {
        var key = protection.newDataKey();
        var ciphertext = protection.encrypt(key, "Олег Сидоров", "contact.name:" + key.value());

        var anotherNode = anotherNode(keysets);

        assertThat(anotherNode.decrypt(key, ciphertext, "contact.name:" + key.value())).isEqualTo("Олег Сидоров");
        var row = jdbc.sql("select master_key_id, destroyed_at from data_key where id = ?").param(key.value())
                .query().singleRow();
        assertThat(row.get("master_key_id")).isEqualTo(keysets.master().primaryKeyId());
        assertThat(row.get("destroyed_at")).isNull();
    }

    @Test
    void destroyedKeyLeavesItsDataUnreadableEverywhere() {
        var key = protection.newDataKey();
        var ciphertext = protection.encrypt(key, "Олег Сидоров", "contact.name:" + key.value());

        protection.destroy(key);

        assertThatThrownBy(() -> protection.decrypt(key, ciphertext, "contact.name:" + key.value()))
                .isInstanceOf(DataKeyDestroyed.class)
                .hasMessageContaining(key.value().toString())
                .hasMessageNotContaining("Олег");
        assertThatThrownBy(() -> anotherNode(keysets)
                .decrypt(key, ciphertext, "contact.name:" + key.value()))
                .isInstanceOf(DataKeyDestroyed.class);
        assertThatThrownBy(() -> protection.encrypt(key, "more", "contact.name:" + key.value()))
                .isInstanceOf(DataKeyDestroyed.class);
        var row = jdbc.sql("select wrapped_key, destroyed_at from data_key where id = ?").param(key.value())
                .query().singleRow();
        assertThat(row.get("wrapped_key")).isNull();
        assertThat(row.get("destroyed_at")).isNotNull();
    }

    @Test
    void refusesACiphertextMovedToAnotherPlace() {
        var key = protection.newDataKey();
        var ciphertext = protection.encrypt(key, "+7 999 123-45-67", "contact.external_id:1");

        assertThatThrownBy(() -> protection.decrypt(key, ciphertext, "contact.external_id:2"))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageNotContaining("999");
    }

    @Test
    void refusesAnUnknownKey() {
        var unknown = new DataKeyId(UUID.randomUUID());

        assertThatThrownBy(() -> protection.encrypt(unknown, "x", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(unknown.value().toString());
    }

    @Test
    void passesNullThroughForOptionalFields() {
        var key = protection.newDataKey();

        assertThat(protection.encryptOptional(key, null, "c")).isNull();
        assertThat(protection.decryptOptional(key, null, "c")).isNull();
        assertThat(protection.decryptOptional(key, protection.encryptOptional(key, "x", "c"), "c")).isEqualTo("x");
    }

    @Test
    void refusesToStartWithAMasterKeysetThatDoesNotMatchTheDatabase(@TempDir Path otherDataDir) {
        protection.newDataKey();
        var strangeNode = anotherNode(KeysetStoreTests.fileStore(otherDataDir));

        assertThatThrownBy(strangeNode::afterSingletonsInstantiated)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot unwrap the data keys in this database");
    }
}
