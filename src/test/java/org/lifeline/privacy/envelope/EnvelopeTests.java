package org.lifeline.privacy.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class EnvelopeTests {

    private final MasterKey master = MasterKey.fromJson(Keysets.newMasterKeyset());
    private final UUID id = UUID.randomUUID();

    @Test
    void encryptsAndDecryptsUnicodeThroughAWrappedDataKey() {
        var created = master.newDataKey(id);
        var ciphertext = created.key().encrypt("Иван Петров — 안녕하세요", "contact.name:1");

        var unwrapped = master.unwrap(id, created.wrapped().bytes());

        assertThat(unwrapped.decrypt(ciphertext, "contact.name:1")).isEqualTo("Иван Петров — 안녕하세요");
        assertThat(new String(ciphertext, UTF_8)).doesNotContain("Иван");
    }

    @Test
    void refusesToDecryptUnderAnotherContext() {
        var key = master.newDataKey(id).key();
        var ciphertext = key.encrypt("+7 999 123-45-67", "contact.external_id:1");

        assertThatThrownBy(() -> key.decrypt(ciphertext, "contact.external_id:2"))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("contact.external_id:2")
                .hasMessageNotContaining("999");
    }

    @Test
    void encryptsTheSameValueDifferentlyEachTime() {
        var key = master.newDataKey(id).key();

        assertThat(key.encrypt("same", "c")).isNotEqualTo(key.encrypt("same", "c"));
    }

    @Test
    void bindsAWrappedKeyToItsId() {
        var wrapped = master.newDataKey(id).wrapped();

        assertThatThrownBy(() -> master.unwrap(UUID.randomUUID(), wrapped.bytes()))
                .isInstanceOf(EnvelopeException.class);
    }

    @Test
    void anotherMasterKeyCannotUnwrap() {
        var wrapped = master.newDataKey(id).wrapped();
        var stranger = MasterKey.fromJson(Keysets.newMasterKeyset());

        assertThatThrownBy(() -> stranger.unwrap(id, wrapped.bytes())).isInstanceOf(EnvelopeException.class);
    }

    @Test
    void rotationKeepsOldKeysReadableAndWrapsNewOnesUnderTheNewPrimary() {
        var before = master.newDataKey(id);
        var ciphertext = before.key().encrypt("message body", "message.body:1");

        var rotated = MasterKey.fromJson(master.rotated().toJson());
        var rewrapped = rotated.rewrap(id, before.wrapped().bytes());
        var after = rotated.newDataKey(UUID.randomUUID());

        assertThat(rotated.primaryKeyId()).isNotEqualTo(master.primaryKeyId());
        assertThat(before.wrapped().masterKeyId()).isEqualTo(master.primaryKeyId());
        assertThat(rewrapped.masterKeyId()).isEqualTo(rotated.primaryKeyId());
        assertThat(after.wrapped().masterKeyId()).isEqualTo(rotated.primaryKeyId());
        assertThat(rotated.unwrap(id, before.wrapped().bytes()).decrypt(ciphertext, "message.body:1"))
                .isEqualTo("message body");
        assertThat(rotated.unwrap(id, rewrapped.bytes()).decrypt(ciphertext, "message.body:1"))
                .isEqualTo("message body");
        assertThatThrownBy(() -> master.unwrap(id, rewrapped.bytes()))
                .as("the keyset before rotation does not hold the new primary")
                .isInstanceOf(EnvelopeException.class);
    }

    @Test
    void blindIndexIsDeterministicPerKeyAndPurpose() {
        var keyset = Keysets.newIndexKeyset();
        var index = BlindIndex.fromJson(keyset);

        assertThat(index.compute("contact.external_id/telegram", "123456789"))
                .isEqualTo(BlindIndex.fromJson(keyset).compute("contact.external_id/telegram", "123456789"))
                .isNotEqualTo(index.compute("contact.external_id/webchat", "123456789"))
                .isNotEqualTo(BlindIndex.fromJson(Keysets.newIndexKeyset())
                        .compute("contact.external_id/telegram", "123456789"))
                .hasSize(32);
    }

    @Test
    void blindIndexSeparatesPurposeFromValue() {
        var index = BlindIndex.fromJson(Keysets.newIndexKeyset());

        assertThat(index.compute("ab", "c")).isNotEqualTo(index.compute("a", "bc"));
    }

    @Test
    void refusesAnInvalidKeysetWithoutQuotingIt() {
        assertThatThrownBy(() -> MasterKey.fromJson("{\"primaryKeyId\": 42, \"secret-looking\": \"AAAA"))
                .isInstanceOf(EnvelopeException.class)
                .hasMessage("The master keyset is not a valid Tink JSON keyset")
                .hasNoCause();
    }

    @Test
    void refusesAMacKeysetAsMasterKeyset() {
        assertThatThrownBy(() -> MasterKey.fromJson(Keysets.newIndexKeyset()))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("cannot serve as Aead");
    }
}
