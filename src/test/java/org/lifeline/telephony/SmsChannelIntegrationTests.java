package org.lifeline.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lifeline.telephony.FakeTwilio.AUTH_TOKEN;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageView;
import org.lifeline.conversations.Reachability;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.UnsentBodies;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SMS end to end over real HTTP: signed webhook requests in as Twilio makes them, through storage and processing,
 * replies out to a local fake of the Messages API. The conversation driver here echoes what it gets (and renders a
 * few kinds of question on request), standing in for the flows.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {org.lifeline.LifelineApplication.class, SmsChannelIntegrationTests.Echo.class})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SmsChannelIntegrationTests {

    @RegisterExtension
    static final FakeTwilio twilio = FakeTwilio.start();
    static final Duration DEADLINE = Duration.ofSeconds(20);
    /** Two numbers of this class: one whose callers are taken for Russian, one for Korean. */
    static final String RUSSIAN_LINE = "+15005550101";
    static final String KOREAN_LINE = "+15005550102";

    @DynamicPropertySource
    static void telephonyProperties(DynamicPropertyRegistry registry) {
        var numbers = new LinkedHashMap<String, String>();
        numbers.put(RUSSIAN_LINE, "ru");
        numbers.put(KOREAN_LINE, "ko");
        twilio.register(registry, numbers);
        registry.add("lifeline.telephony.max-segments", () -> "2");
    }


    /** Stands in for the flows: answers every event through the gateway, so replies can be observed. */
    @TestConfiguration
    static class Echo {
        @Bean
        @Primary
        InboundEventHandler echo(ChannelGateway gateway) {
            return event -> {
                switch (event) {
                    case InboundEvent.TextReceived t when t.text().equals("buttons") -> gateway.send(t.conversation(),
                            new OutboundContent.Choices("Вы в безопасности?", List.of(
                                    new OutboundContent.Choice("yes", "Да"), new OutboundContent.Choice("no", "Нет"))));
                    case InboundEvent.TextReceived t when t.text().equals("where") -> gateway.send(t.conversation(),
                            new OutboundContent.LocationRequest("Где вы?", "📍"));
                    case InboundEvent.TextReceived t when t.text().equals("long") -> gateway.send(t.conversation(),
                            new OutboundContent.Text("도와주십시오 ".repeat(40).strip()));
                    case InboundEvent.TextReceived t -> gateway.send(t.conversation(), new OutboundContent.Text("echo: " + t.text()));
                    default -> gateway.send(event.conversation(), new OutboundContent.Text("got " + event.getClass().getSimpleName()));
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;

    /** The updates stored: in inbound_update or, on H2, still in the intake journal. */
    org.lifeline.testing.StoredUpdates updates() {
        return new org.lifeline.testing.StoredUpdates(jdbc, environment);
    }

    @Autowired
    ConversationManagement conversations;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusesAWrongOrMissingSignatureWith403AndStoresNothing() throws Exception {
        var from = FakeTwilio.newNumber();
        var parameters = FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), from, RUSSIAN_LINE, "Хочу сдаться");
        var before = stored();

        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms", parameters, "another-auth-token")).statusCode()).isEqualTo(403);
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms", parameters, null)).statusCode()).isEqualTo(403);
        // signed for the address the request reached (Host), not for the public URL the provider was given
        var forHost = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/sms"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", FakeTwilio.signature(AUTH_TOKEN, "http://127.0.0.1:" + port + "/webhooks/sms", parameters))
                .POST(HttpRequest.BodyPublishers.ofString(FakeTwilio.form(parameters))).build();
        assertThat(send(forHost).statusCode()).isEqualTo(403);
        var tampered = new LinkedHashMap<>(parameters);
        tampered.put("Body", "Хочу жить");
        var signedOriginal = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/sms"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", FakeTwilio.signature(AUTH_TOKEN, FakeTwilio.PUBLIC_URL + "/webhooks/sms", parameters))
                .POST(HttpRequest.BodyPublishers.ofString(FakeTwilio.form(tampered))).build();
        assertThat(send(signedOriginal).statusCode()).isEqualTo(403);

        assertThat(stored()).isEqualTo(before);
        assertThat(conversations.findContact("sms", from)).isEmpty();
    }

    @Test
    void everyWebhookRefusesARequestWithoutASignatureBeforeReadingItsBodyAndAnOversizedSignedOneWith413()
            throws Exception {
        // no header, or one that is no HMAC-SHA1 in Base64: refused at once, however large the body announced
        for (var path : List.of("/webhooks/sms", "/webhooks/sms/status", "/webhooks/voice", "/webhooks/voice/menu")) {
            for (var header : List.of("X-Twilio-Signature: ", "X-Twilio-Signature: not-a-signature",
                    "Accept: */*")) {
                var head = UnsentBodies.answerHead(port, "POST", path,
                        List.of("Content-Type: application/x-www-form-urlencoded", header),
                        TwilioRequests.MAX_REQUEST_BYTES + 1000L, "AccountSid=");

                assertThat(head.getFirst()).as(path + " " + header).startsWith("http/1.1 403");
                assertThat(head).as(path + " " + header).contains("connection: close");
            }
        }

        // a signature of the right form is checked on the body, which must fit the limit to be read
        var before = stored();
        var oversized = FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), FakeTwilio.newNumber(), RUSSIAN_LINE,
                "ж".repeat(TwilioRequests.MAX_REQUEST_BYTES));
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms", oversized, AUTH_TOKEN)).statusCode()).isEqualTo(413);
        assertThat(stored()).isEqualTo(before);
        // a step the line does not have is none, signed or not
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/voice/nowhere",
                FakeTwilio.call(FakeTwilio.newSid("CA"), FakeTwilio.newNumber(), RUSSIAN_LINE, java.util.Map.of()),
                AUTH_TOKEN)).statusCode()).isEqualTo(404);
    }

    @Test
    void storesBeforeAnsweringWithAnEmptyTwimlResponse() throws Exception {
        var from = FakeTwilio.newNumber();
        var before = stored();
        var response = send(FakeTwilio.webhook(port, "/webhooks/sms",
                FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), from, RUSSIAN_LINE, "Привет"), AUTH_TOKEN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(stored()).as("stored before 200").isEqualTo(before + 1);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/xml"));
        TwimlChecks.check(response.body());
        assertThat(TwimlChecks.verbs(response.body())).isEmpty();
        assertThat(awaitSent(from, 1).getFirst().form()).containsEntry("Body", "echo: Привет")
                .containsEntry("From", RUSSIAN_LINE).containsEntry("To", from);
    }

    @Test
    void aRetriedRequestIsStoredAndAnsweredOnce() throws Exception {
        var from = FakeTwilio.newNumber();
        var parameters = FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), from, RUSSIAN_LINE, "один раз");
        var before = stored();

        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms", parameters, AUTH_TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms", parameters, AUTH_TOKEN)).statusCode()).isEqualTo(200);
        assertThat(stored()).isEqualTo(before + 1);
        // his next message is answered only after everything before it: once its echo is there, a second echo of
        // the retried one would have gone already
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms",
                FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), from, RUSSIAN_LINE, "два"), AUTH_TOKEN)).statusCode()).isEqualTo(200);
        var sent = awaitSent(from, 2);
        assertThat(sent).extracting(c -> c.form().get("Body")).containsExactly("echo: один раз", "echo: два");
        assertThat(twilio.sentTo(from)).hasSize(2);
    }

    @Test
    void aSignedRequestSentAgainAfterItsRawUpdateWentIsNotTakenAsANewMessage() throws Exception {
        var from = FakeTwilio.newNumber();
        var sid = FakeTwilio.newSid("SM");
        var captured = FakeTwilio.webhook(port, "/webhooks/sms",
                FakeTwilio.incomingSms(sid, from, RUSSIAN_LINE, "один раз"), AUTH_TOKEN);
        assertThat(send(captured).statusCode()).isEqualTo(200);
        awaitSent(from, 1);
        // its raw update gone, as retention removes a processed one after its period
        assertThat(jdbc.sql("delete from inbound_update where channel = 'sms' and idempotency_key = ?")
                .param("m:" + sid).update()).isOne();
        var before = stored();

        assertThat(send(captured).statusCode()).isEqualTo(200);

        assertThat(stored()).isEqualTo(before);
        // his next message is answered only after everything before it: no echo of the replay came first
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms",
                FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), from, RUSSIAN_LINE, "два"), AUTH_TOKEN)).statusCode()).isEqualTo(200);
        assertThat(awaitSent(from, 2)).extracting(c -> c.form().get("Body")).containsExactly("echo: один раз", "echo: два");
        assertThat(twilio.sentTo(from)).hasSize(2);
    }

    @Test
    void theFirstMessageDecidesTheLanguageElseTheNumbersLanguage() throws Exception {
        var korean = FakeTwilio.newNumber();
        var ukrainian = FakeTwilio.newNumber();
        var latinToKoreanLine = FakeTwilio.newNumber();
        var latinToRussianLine = FakeTwilio.newNumber();
        receive(korean, RUSSIAN_LINE, "살고 싶습니다");
        receive(ukrainian, RUSSIAN_LINE, "Шукаю брата, допоможіть");
        receive(latinToKoreanLine, KOREAN_LINE, "hello");
        receive(latinToRussianLine, RUSSIAN_LINE, "hello");
        awaitSent(korean, 1);
        awaitSent(ukrainian, 1);
        awaitSent(latinToKoreanLine, 1);
        awaitSent(latinToRussianLine, 1);

        assertThat(conversations.conversation(conversationOf(korean)).language()).isEqualTo("ko");
        assertThat(conversations.conversation(conversationOf(ukrainian)).language()).isEqualTo("uk");
        assertThat(conversations.conversation(conversationOf(latinToKoreanLine)).language()).isEqualTo("ko");
        assertThat(conversations.conversation(conversationOf(latinToRussianLine)).language()).isEqualTo("ru");
        assertThat(twilio.sentTo(latinToKoreanLine).getFirst().form()).containsEntry("From", KOREAN_LINE);
    }

    @Test
    void choicesAreNumberedLinesAndALocationQuestionSaysHowToWriteIt() throws Exception {
        var from = FakeTwilio.newNumber();
        receive(from, RUSSIAN_LINE, "buttons");
        assertThat(awaitSent(from, 1).getFirst().form().get("Body")).isEqualTo("Вы в безопасности?\n\n1. Да\n2. Нет");
        receive(from, RUSSIAN_LINE, "where");
        assertThat(awaitSent(from, 2).get(1).form().get("Body"))
                .isEqualTo("Где вы?\n\n" + SmsTexts.locationInstructions("ru"));
    }

    @Test
    void aLongTextGoesAsSeveralMessagesCutAtSegmentBoundaries() throws Exception {
        var from = FakeTwilio.newNumber();
        receive(from, KOREAN_LINE, "long");
        var text = "도와주십시오 ".repeat(40).strip();
        // 279 UCS-2 units: five segments of 67, at most two per message here
        assertThat(SmsSegments.count(text)).isEqualTo(5);
        var sent = awaitSent(from, 3);
        await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> twilio.sentTo(from).size() == 3);
        var bodies = sent.stream().map(c -> c.form().get("Body")).toList();
        assertThat(bodies).allSatisfy(b -> assertThat(SmsSegments.count(b)).isLessThanOrEqualTo(2));
        assertThat(String.join(" ", bodies)).isEqualTo(text);
        assertThat(lastOutbound(from).delivery()).isEqualTo(DeliveryState.SENT);
    }

    @Test
    void aLaterPartThatFailsAfterEarlierOnesWentIsFailedNotSentAgain() throws Exception {
        var from = FakeTwilio.newNumber();
        twilio.failAfter(from, 1, 503, 20500);
        receive(from, KOREAN_LINE, "long");
        await().atMost(DEADLINE).until(() -> lastOutbound(from) != null
                && lastOutbound(from).delivery() == DeliveryState.FAILED);
        assertThat(lastOutbound(from).deliveryDetail()).isEqualTo("sms.partial.20500");
        assertThat(twilio.sentTo(from)).hasSize(1);
        assertThat(twilio.calls()).filteredOn(c -> from.equals(c.form().get("To"))).extracting(FakeTwilio.Call::status)
                .containsExactly(201, 503);
    }

    @Test
    void aRateLimitIsWaitedOutAndAnUnsubscribedRecipientIsAFinalFailure() throws Exception {
        var limited = FakeTwilio.newNumber();
        twilio.failNext(limited, 429, 20429, "1");
        receive(limited, RUSSIAN_LINE, "подождите");
        assertThat(awaitSent(limited, 1).getFirst().form()).containsEntry("Body", "echo: подождите");
        assertThat(twilio.calls()).filteredOn(c -> limited.equals(c.form().get("To")))
                .extracting(FakeTwilio.Call::status).containsExactly(429, 201);

        var stopped = FakeTwilio.newNumber();
        twilio.failNext(stopped, 400, 21610, null);
        receive(stopped, RUSSIAN_LINE, "стоп");
        await().atMost(DEADLINE).until(() -> lastOutbound(stopped) != null
                && lastOutbound(stopped).delivery() == DeliveryState.FAILED);
        assertThat(lastOutbound(stopped).deliveryDetail()).isEqualTo("sms.21610");
        assertThat(twilio.sentTo(stopped)).isEmpty();
    }

    @Test
    void aRecipientWhoAnsweredStopIsUnreachableAndSentNothingMoreUntilHeWritesAgain(@Autowired ChannelGateway gateway)
            throws Exception {
        var stopped = FakeTwilio.newNumber();
        twilio.failNext(stopped, 400, 21610, null);
        receive(stopped, RUSSIAN_LINE, "стоп");
        await().atMost(DEADLINE).until(() -> lastOutbound(stopped) != null
                && lastOutbound(stopped).delivery() == DeliveryState.FAILED);
        var contact = conversations.findContact("sms", stopped).orElseThrow();
        assertThat(conversations.contact(contact).reachability()).isEqualTo(Reachability.UNREACHABLE);

        // an operator's reply now is kept on the conversation, failed, and never offered to the provider
        var reply = gateway.send(conversationOf(stopped), new OutboundContent.Text("Вы на связи?"));
        assertThat(lastOutbound(stopped).id()).isEqualTo(reply);
        assertThat(lastOutbound(stopped).delivery()).isEqualTo(DeliveryState.FAILED);
        assertThat(lastOutbound(stopped).deliveryDetail()).isEqualTo("unreachable");
        assertThat(twilio.calls()).filteredOn(c -> stopped.equals(c.form().get("To"))).hasSize(1);

        // he sends START (the provider lets messages through again) and is answered
        receive(stopped, RUSSIAN_LINE, "START");
        assertThat(awaitSent(stopped, 1).getFirst().form()).containsEntry("Body", "echo: START");
        assertThat(conversations.contact(contact).reachability()).isEqualTo(Reachability.REACHABLE);
    }

    @Test
    void deliveryReportsMarkTheMessageDeliveredOrFailedOnceAndNeverBackwards() throws Exception {
        var from = FakeTwilio.newNumber();
        receive(from, RUSSIAN_LINE, "доставлено?");
        var sent = awaitSent(from, 1).getFirst();
        assertThat(sent.form()).containsEntry("StatusCallback", FakeTwilio.PUBLIC_URL + "/webhooks/sms/status");
        await().atMost(DEADLINE).until(() -> lastOutbound(from) != null && sent.sid().equals(lastOutbound(from).channelMessageId()));

        assertThat(report(sent.sid(), from, "sent", null)).isEqualTo(200);
        assertThat(lastOutbound(from).delivery()).isEqualTo(DeliveryState.SENT);
        assertThat(report(sent.sid(), from, "delivered", null)).isEqualTo(200);
        assertThat(lastOutbound(from).delivery()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(report(sent.sid(), from, "delivered", null)).as("repeated").isEqualTo(200);
        assertThat(report(sent.sid(), from, "undelivered", "30003")).isEqualTo(200);
        assertThat(lastOutbound(from).delivery()).as("never backwards").isEqualTo(DeliveryState.DELIVERED);

        var unlucky = FakeTwilio.newNumber();
        receive(unlucky, RUSSIAN_LINE, "дойдёт?");
        var lost = awaitSent(unlucky, 1).getFirst();
        await().atMost(DEADLINE).until(() -> lastOutbound(unlucky) != null && lost.sid().equals(lastOutbound(unlucky).channelMessageId()));
        assertThat(report(lost.sid(), unlucky, "undelivered", "30005")).isEqualTo(200);
        assertThat(lastOutbound(unlucky).delivery()).isEqualTo(DeliveryState.FAILED);
        assertThat(lastOutbound(unlucky).deliveryDetail()).isEqualTo("sms.30005");
        assertThat(jdbc.sql("select count(*) from telephony_sms_status where message_sid = ?").param(sent.sid())
                .query(Long.class).single()).as("once per status").isEqualTo(3);
    }

    @Test
    void aReportThatOvertakesTheRecordedSendIsAppliedWhenTheSendIsRecorded() throws Exception {
        var from = FakeTwilio.newNumber();
        var sid = FakeTwilio.newSid("SM");
        assertThat(report(sid, from, "delivered", null)).isEqualTo(200);
        twilio.nextSid(from, sid);
        receive(from, KOREAN_LINE, "빨리");
        awaitSent(from, 1);
        await().atMost(DEADLINE).until(() -> lastOutbound(from) != null && lastOutbound(from).delivery() == DeliveryState.DELIVERED);
        assertThat(lastOutbound(from).channelMessageId()).isEqualTo(sid);
    }

    @Test
    void aDeliveryReportWithoutTheRightSignatureIsRefusedAndKeptNowhere() throws Exception {
        var sid = FakeTwilio.newSid("SM");
        var parameters = FakeTwilio.smsStatus(sid, RUSSIAN_LINE, FakeTwilio.newNumber(), "failed", "30007");
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms/status", parameters, "another-auth-token")).statusCode())
                .isEqualTo(403);
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms/status", parameters, null)).statusCode()).isEqualTo(403);
        var malformed = FakeTwilio.smsStatus(sid, RUSSIAN_LINE, FakeTwilio.newNumber(), "exploded", null);
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms/status", malformed, AUTH_TOKEN)).statusCode()).isEqualTo(400);
        assertThat(jdbc.sql("select count(*) from telephony_sms_status where message_sid = ?").param(sid).query(Long.class).single())
                .isZero();
    }

    private int report(String sid, String to, String status, String errorCode) throws Exception {
        return send(FakeTwilio.webhook(port, "/webhooks/sms/status", FakeTwilio.smsStatus(sid, RUSSIAN_LINE, to, status, errorCode),
                AUTH_TOKEN)).statusCode();
    }

    @Test
    void refusesANumberItDoesNotServeAndAMalformedRequest() throws Exception {
        var before = stored();
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms",
                FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), FakeTwilio.newNumber(), "+15005550199", "hi"), AUTH_TOKEN))
                .statusCode()).isEqualTo(404);
        var noSid = new LinkedHashMap<>(FakeTwilio.incomingSms("nonsense", FakeTwilio.newNumber(), RUSSIAN_LINE, "hi"));
        assertThat(send(FakeTwilio.webhook(port, "/webhooks/sms", noSid, AUTH_TOKEN)).statusCode()).isEqualTo(400);
        assertThat(stored()).isEqualTo(before);
    }

    private void receive(String from, String to, String body) throws Exception {
        var response = send(FakeTwilio.webhook(port, "/webhooks/sms", FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), from, to, body),
                AUTH_TOKEN));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private long stored() {
        return updates().count("channel = 'sms'");
    }

    private List<FakeTwilio.Call> awaitSent(String to, int n) throws InterruptedException {
        assertThat(twilio.awaitCalls(calls -> twilio.sentTo(to).size() >= n, DEADLINE)).as("%d messages to him", n).isTrue();
        return twilio.sentTo(to);
    }

    private ConversationId conversationOf(String number) {
        return conversations.latestConversation(conversations.findContact("sms", number).orElseThrow()).orElseThrow();
    }

    private MessageView lastOutbound(String number) {
        var contact = conversations.findContact("sms", number);
        if (contact.isEmpty() || conversations.latestConversation(contact.get()).isEmpty()) {
            return null;
        }
        var outbound = conversations.transcript(conversationOf(number)).stream()
                .filter(m -> m.direction() == Direction.OUTBOUND).toList();
        return outbound.isEmpty() ? null : outbound.getLast();
    }
}
