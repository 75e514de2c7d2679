package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.testing.ManualClock;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signed channel list holds for a while only: a copy signed before a mirror was seized and withdrawn must stop
 * vouching for it, and the list the server serves must never be near its end.
 */
class ChannelListTests {

    private static final Instant START = Instant.parse("2026-12-03T10:15:30Z");
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final ManualClock clock = new ManualClock(START);
    private SiteSigningKey key;
    private ChannelList list;

    @BeforeEach
    void sign(@TempDir Path dir) throws Exception {
        SignatureConfig.register();
        var keyset = dir.resolve("site-signing.json");
        Files.writeString(keyset, TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput), InsecureSecretKeyAccess.get()));
        var settings = new SiteSettings(List.of("+380 44 000 00 00"), List.of(), List.of("@lifeline_example_bot"),
                List.of(URI.create("https://mirror-one.example/")), null, List.of(), keyset, VALIDITY);
        key = new SiteSigningKey(settings, null);
        list = new ChannelList(settings, key, clock);
    }

    @Test
    void saysWhenItWasSignedAndHoldsForItsValidityAlone() throws Exception {
        var document = list.document();

        var verified = ChannelList.verify(document, list.publicKeyset(), START);
        assertThat(verified.issuedAt()).isEqualTo(START);
        assertThat(verified.expiresAt()).isEqualTo(START.plus(VALIDITY));
        assertThat(verified.payload()).contains("\"version\":2", "https://mirror-one.example/");
        assertThat(ChannelList.verify(document, list.publicKeyset(), START.plus(VALIDITY)).issuedAt()).isEqualTo(START);

        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(document, list.publicKeyset(), START.plus(VALIDITY).plusSeconds(1)))
                .withMessageContaining("expired on " + START.plus(VALIDITY));
    }

    @Test
    void theServerSignsAfreshOnceHalfItsValidityHasPassed() throws Exception {
        var first = list.document();
        clock.advance(VALIDITY.dividedBy(2).minusSeconds(1));
        assertThat(list.document()).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        var second = list.document();
        assertThat(second).isNotEqualTo(first);
        var verified = ChannelList.verify(second, list.publicKeyset(), clock.instant());
        assertThat(verified.issuedAt()).isEqualTo(START.plus(VALIDITY.dividedBy(2)));
        assertThat(verified.expiresAt()).isEqualTo(START.plus(VALIDITY.dividedBy(2)).plus(VALIDITY));
        assertThat(list.document()).isEqualTo(second);
    }

    @Test
    void aListSignedWithoutAnExpiryOrWithABrokenOneDoesNotVerify() throws Exception {
        var withoutExpiry = signed("{\"version\":1,\"phones\":[\"+7 495 000 00 00\"],\"mirrors\":[]}");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(withoutExpiry, list.publicKeyset(), START))
                .withMessageContaining("not a current channel list");

        var backwards = signed("{\"version\":2,\"issued_at\":\"2026-12-03T00:00:00Z\",\"expires_at\":\"2026-12-02T00:00:00Z\"}");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(backwards, list.publicKeyset(), Instant.parse("2026-12-01T00:00:00Z")))
                .withMessageContaining("expires before it was signed");

        var notATime = signed("{\"version\":2,\"issued_at\":\"yesterday\",\"expires_at\":\"2099-01-01T00:00:00Z\"}");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(notATime, list.publicKeyset(), START))
                .withMessageContaining("not a current channel list");
    }

    @Test
    void aListThatClaimsTooLongALifeOrASigningTimeAheadDoesNotVerify() throws Exception {
        var forEver = signed("{\"version\":2,\"issued_at\":\"2026-12-03T00:00:00Z\",\"expires_at\":\"+999999999-12-31T23:59:59Z\"}");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(forEver, list.publicKeyset(), START))
                .withMessageContaining("more than 90 days");

        var ahead = signed("{\"version\":2,\"issued_at\":\"2027-06-01T00:00:00Z\",\"expires_at\":\"2027-06-30T00:00:00Z\"}");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(ahead, list.publicKeyset(), START))
                .withMessageContaining("later than this machine's clock allows");
    }

    @Test
    void aKeyGivenTwiceInTheListIsRefused() throws Exception {
        var payload = "{\"version\":2,\"issued_at\":\"2026-12-03T00:00:00Z\",\"expires_at\":\"2026-12-30T00:00:00Z\","
                + "\"telegram_bots\":[\"lifeline_example_bot\"],\"telegram_bots\":[\"trap_bot\"]}";
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(signed(payload), list.publicKeyset(), START));
    }

    /**
     * Whoever holds a mirror serves a public keyset with our key as its primary and his own beside it, and a list
     * signed with his: it must not verify, nor show our fingerprint.
     */
    @Test
    void aPublicKeysetOfMoreThanOneKeyVerifiesNothing() throws Exception {
        var attacker = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput);
        var ours = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(list.publicKeyset());
        var both = KeysetHandle.newBuilder(ours);
        both.addEntry(KeysetHandle.importKey(attacker.getPublicKeysetHandle().getPrimary().getKey()).withRandomId());
        var merged = TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(both.build());
        var payload = "{\"version\":2,\"issued_at\":\"2026-12-03T00:00:00Z\",\"expires_at\":\"2026-12-30T00:00:00Z\","
                + "\"telegram_bots\":[\"trap_bot\"]}";
        var signature = attacker.getPrimitive(com.google.crypto.tink.RegistryConfiguration.get(),
                com.google.crypto.tink.PublicKeySign.class).sign(payload.getBytes(StandardCharsets.UTF_8));
        var forged = JsonMapper.shared().writeValueAsString(java.util.Map.of("payload", payload,
                "signature", Base64.getEncoder().encodeToString(signature)));

        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(forged, merged, START)).withMessageContaining("exactly one");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.fingerprint(merged)).withMessageContaining("exactly one");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify(list.document(), merged, START));
    }

    @Test
    void whatIsNoSignedListIsRefusedWithoutRepeatingIt() {
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify("{\"payload\": \"secret-looking text\", \"signature\": \"%%%\"}",
                        list.publicKeyset(), START))
                .withMessageNotContaining("secret-looking");
        assertThatExceptionOfType(GeneralSecurityException.class)
                .isThrownBy(() -> ChannelList.verify("not json secret-looking", list.publicKeyset(), START))
                .withMessageNotContaining("secret-looking");
    }

    private String signed(String payload) throws GeneralSecurityException {
        var signature = Base64.getEncoder().encodeToString(key.sign(payload.getBytes(StandardCharsets.UTF_8)));
        return JsonMapper.shared().writeValueAsString(java.util.Map.of("payload", payload, "signature", signature));
    }
}
