package org.lifeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.telephony.FakeTwilio;
import org.lifeline.testing.DatabaseRows;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Writes recognizable personal data through every module, and callers' numbers through the SMS and voice webhooks,
 * then searches every column of every table for them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@PersistenceTest
class PlaintextAtRestIntegrationTests {

    @RegisterExtension
    static final FakeTwilio twilio = FakeTwilio.start();
    static final String LINE = "+15005550401";
    private static final String SMS_CALLER = "+79035557788";
    private static final String VOICE_CALLER = "+79267771122";

    @DynamicPropertySource
    static void telephonyProperties(DynamicPropertyRegistry registry) {
        twilio.register(registry, Map.of(LINE, "ru"));
    }


    @LocalServerPort
    int port;

    private static final String PHONE = "+79161234567";
    private static final String NAME = "Алексей Смирнов";
    private static final String KOREAN = "저는 항복하고 싶습니다";
    private static final String ENTRY_CODE = "qr-seoul-leaflet-2025";
    private static final String UNIT = "в/ч 64055";
    private static final String CALL_SIGN = "Бурый";

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void noTableHoldsPersonalDataOrMessageTextInTheClear() {
        var contact = conversations.findOrCreateContact("whatsapp", PHONE, "ru");
        var conversation = conversations.openOrResumeConversation(contact, null, ENTRY_CODE);
        conversations.recordInbound(conversation, "Меня зовут " + NAME + ", я из " + UNIT, "wamid.1");
        conversations.recordInbound(conversation, KOREAN, "wamid.2");
        conversations.recordOutbound(conversation, NAME + ", мы вам поможем");
        var details = new LinkedHashMap<String, String>();
        details.put("name", NAME);
        details.put("unit", UNIT);
        details.put("phone", PHONE);
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, details, "flow");
        cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), "Позывной " + CALL_SIGN,
                "operator.anna", opened.version());

        var rows = rawRows();

        assertThat(rows).as("rows were read from every table").hasSizeGreaterThan(5);
        for (var secret : List.of(PHONE, PHONE.substring(2), NAME, "Смирнов", KOREAN, "항복", ENTRY_CODE, UNIT,
                CALL_SIGN)) {
            var hex = HexFormat.of().formatHex(secret.getBytes(UTF_8));
            assertThat(rows).as("raw database rows").noneMatch(value -> value.contains(secret)
                    || value.toLowerCase(Locale.ROOT).contains(hex));
        }
    }

    @Test
    void anSmsSendersAndACallersNumbersAreInNoColumnInTheClear() throws Exception {
        var http = HttpClient.newHttpClient();
        var sms = http.send(FakeTwilio.webhook(port, "/webhooks/sms",
                FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), SMS_CALLER, LINE, "Здравствуйте"), FakeTwilio.AUTH_TOKEN),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sms.statusCode()).isEqualTo(200);
        var callSid = FakeTwilio.newSid("CA");
        for (var step : List.of("/webhooks/voice", "/webhooks/voice/callback?l=ru")) {
            var call = http.send(FakeTwilio.webhook(port, step, FakeTwilio.call(callSid, VOICE_CALLER, LINE,
                    step.contains("callback") ? Map.of("Digits", "1") : Map.of()), FakeTwilio.AUTH_TOKEN),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).as(step).isEqualTo(200);
        }
        // stored all the way: the SMS answered, the callback request a case with the number to call back
        assertThat(twilio.awaitCalls(calls -> !twilio.sentTo(SMS_CALLER).isEmpty(), Duration.ofSeconds(20)))
                .as("the SMS answered").isTrue();
        var caller = await().atMost(Duration.ofSeconds(20)).until(() -> conversations.findContact("voice", VOICE_CALLER),
                Optional::isPresent).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> cases.active().stream().anyMatch(c -> caller.equals(c.contact())));
        assertThat(conversations.findContact("sms", SMS_CALLER)).as("the SMS sender's contact").isPresent();

        var rows = rawRows();

        for (var number : List.of(SMS_CALLER, VOICE_CALLER)) {
            for (var form : List.of(number, number.substring(1), number.substring(2))) {
                var hex = HexFormat.of().formatHex(form.getBytes(UTF_8));
                assertThat(rows).as("raw database rows").noneMatch(value -> value.contains(form)
                        || value.toLowerCase(Locale.ROOT).contains(hex));
            }
        }
    }

    private List<String> rawRows() {
        assertThat(DatabaseRows.tables(jdbc)).contains("contact", "conversation", "message", "support_case",
                "case_transition", "data_key");
        return DatabaseRows.values(jdbc, environment);
    }
}
