package org.lifeline.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TwilioRequestsTests {

    static final String NUMBER = "+15005550006";

    final TelephonySettings settings = new TelephonySettings(URI.create("https://api.twilio.com"),
            FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN, URI.create(FakeTwilio.PUBLIC_URL + "/"),
            List.of(new TelephonySettings.Number(NUMBER, "ru")), 1, 1, 30, 10,
            java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(120), Map.of(), Map.of());
    final TwilioRequests requests = new TwilioRequests(settings);

    /** The example in Twilio's security documentation: our signer (used by the fake) gives its signature. */
    @Test
    void theFakeSignsAsTwilioDocuments() {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("CallSid", "CA1234567890ABCDE");
        parameters.put("Caller", "+12349013030");
        parameters.put("Digits", "1234");
        parameters.put("From", "+12349013030");
        parameters.put("To", "+18005551212");
        assertThat(FakeTwilio.signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", parameters))
                .isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    }

    @Test
    void refusesAPublicUrlInClear() {
        assertThatThrownBy(() -> new TelephonySettings(URI.create("https://api.twilio.com"), FakeTwilio.ACCOUNT_SID,
                FakeTwilio.AUTH_TOKEN, URI.create("http://hotline.example.org/"),
                List.of(new TelephonySettings.Number(NUMBER, "ru")), 1, 1, 30, 10,
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(120), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
    }

    @Test
    void acceptsARequestSignedForThePublicUrlWithItsQuery() {
        var parameters = FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), "+79001234567", NUMBER, "Хочу жить");
        var signature = FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, FakeTwilio.PUBLIC_URL + "/webhooks/voice/menu?l=ru",
                parameters);
        var signed = requests.verify(received("/webhooks/voice/menu", "l=ru", signature, parameters)).orElseThrow();
        assertThat(signed.get("Body")).isEqualTo("Хочу жить");
        assertThat(signed.query()).containsEntry("l", "ru");
    }

    @Test
    void refusesTheHostTheRequestCameToAnotherQueryAChangedParameterAndNoSignature() {
        var parameters = FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), "+79001234567", NUMBER, "Хочу жить");
        var forHost = FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, "http://127.0.0.1:8080/webhooks/sms", parameters);
        assertThat(requests.verify(received("/webhooks/sms", null, forHost, parameters))).isEmpty();

        var good = FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, FakeTwilio.PUBLIC_URL + "/webhooks/sms", parameters);
        assertThat(requests.verify(received("/webhooks/sms", null, good, parameters))).isPresent();
        assertThat(requests.verify(received("/webhooks/sms", "l=ko", good, parameters))).isEmpty();
        var changed = new LinkedHashMap<>(parameters);
        changed.put("Body", "Хочу сдаться");
        assertThat(requests.verify(received("/webhooks/sms", null, good, changed))).isEmpty();
        assertThat(requests.verify(received("/webhooks/sms", null, null, parameters))).isEmpty();
        assertThat(requests.verify(received("/webhooks/sms", null, "", parameters))).isEmpty();
        var otherToken = FakeTwilio.signature("another-token", FakeTwilio.PUBLIC_URL + "/webhooks/sms", parameters);
        assertThat(requests.verify(received("/webhooks/sms", null, otherToken, parameters))).isEmpty();
    }

    @Test
    void refusesARequestSignedForAnotherAccount() {
        var parameters = new LinkedHashMap<>(FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), "+79001234567", NUMBER, "hi"));
        parameters.put("AccountSid", "AC" + "f".repeat(32));
        var signature = FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, FakeTwilio.PUBLIC_URL + "/webhooks/sms", parameters);
        assertThat(requests.verify(received("/webhooks/sms", null, signature, parameters))).isEmpty();
    }

    @Test
    void aBodyThatIsNotAFormIsMalformed() {
        var request = new TwilioRequests.Received("/webhooks/sms", null, "x", "Body=%zz".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> requests.verify(request)).isInstanceOf(TwilioRequests.Malformed.class);
        var twice = new TwilioRequests.Received("/webhooks/sms", null, "x", "a=1&a=2".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> requests.verify(twice)).isInstanceOf(TwilioRequests.Malformed.class);
    }

    private static TwilioRequests.Received received(String path, String query, String signature,
            Map<String, String> parameters) {
        return new TwilioRequests.Received(path, query, signature,
                FakeTwilio.form(parameters).getBytes(StandardCharsets.UTF_8));
    }
}
