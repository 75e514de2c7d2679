package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lifeline.platform.DataDirectory;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;

@ConsoleTest
class TotpSecretCipherIntegrationTests {

    @Autowired
    TotpSecretCipher cipher;

    @Autowired
    DataDirectory dataDirectory;

    @Test
    void keepsItsKeysetOwnerOnlyInTheDataDirectory() throws Exception {
        var file = dataDirectory.root().resolve("keys").resolve(TotpSecretCipher.FILE);

        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(file)).contains("AesGcmKey");
    }

    @Test
    void encryptsEachSecretForItsAccountOnly() {
        var alice = OperatorId.random();
        var secret = Totp.newSecret();

        var ciphertext = cipher.encrypt(alice, secret);

        assertThat(new String(ciphertext, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);
        assertThat(cipher.decrypt(alice, ciphertext)).isEqualTo(secret);
        assertThatThrownBy(() -> cipher.decrypt(OperatorId.random(), ciphertext))
                .as("copied onto another account").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConfiguredKeysetIsUsedInsteadOfTheFile() throws Exception {
        var keyset = Files.readString(dataDirectory.root().resolve("keys").resolve(TotpSecretCipher.FILE));
        var configured = new TotpSecretCipher(new OperatorsSettings(keyset, "Lifeline", 5, Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofHours(24), 0, 30, Duration.ofDays(90)), null);
        var alice = OperatorId.random();

        assertThat(configured.decrypt(alice, cipher.encrypt(alice, "SECRET"))).isEqualTo("SECRET");
    }

    @Test
    void refusesAKeysetThatIsNotOne() {
        assertThatThrownBy(() -> new TotpSecretCipher(new OperatorsSettings("{\"not\":\"a keyset\"}", "Lifeline", 5,
                Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofHours(24), 0, 30,
                Duration.ofDays(90)), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a valid Tink JSON keyset");
    }
}
