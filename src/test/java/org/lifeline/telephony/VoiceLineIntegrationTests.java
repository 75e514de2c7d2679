package org.lifeline.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lifeline.telephony.FakeTwilio.AUTH_TOKEN;
import static org.lifeline.telephony.FakeTwilio.PUBLIC_URL;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.channels.PhoneLine;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.MessageContent.CallEvent;
import org.lifeline.conversations.MessageView;
import org.lifeline.operators.Operator;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.OperatorDuty;
import org.lifeline.operators.Role;
import org.lifeline.channels.ChannelCopies;
import org.lifeline.testing.ManualClock;
import org.lifeline.testing.ManualClockConfiguration;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Element;

/**
 * The phone line over real HTTP: every request signed and shaped as Twilio sends it, every answer's TwiML checked
 * against the documented verbs, attributes and nesting, the provider's recordings fetched from and deleted at a
 * local fake. Operators are put on duty for Russian and Korean only, so Ukrainian callers find nobody.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Import(ManualClockConfiguration.class)
class VoiceLineIntegrationTests {

    @RegisterExtension
    static final FakeTwilio twilio = FakeTwilio.start();
    /** A Korean line (its callers hear Korean first) and a Russian one. */
    static final String KOREAN_LINE = "+15005550301";
    static final String RUSSIAN_LINE = "+15005550302";
    static final String ENGLISH_MENU_AUDIO = "https://audio.example.org/prompts/en/menu.mp3";
    static final String PASSWORD = "a long enough password";

    @DynamicPropertySource
    static void telephonyProperties(DynamicPropertyRegistry registry) {
        var numbers = new LinkedHashMap<String, String>();
        numbers.put(KOREAN_LINE, "ko");
        numbers.put(RUSSIAN_LINE, "ru");
        twilio.register(registry, numbers);
        registry.add("lifeline.telephony.max-wait", () -> "45s");
        registry.add("lifeline.telephony.audio.en.menu", () -> ENGLISH_MENU_AUDIO);
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

    @Autowired
    CaseManagement cases;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    OperatorDuty duty;

    @Autowired
    PhoneLine phoneLine;

    @Autowired
    OperatorCalls operatorCalls;

    /** Operators are called in the background: what a step asked for has been done (or failed) by now. */
    private void awaitOperatorCalls() {
        await().atMost(Duration.ofSeconds(40)).until(operatorCalls::settled);
    }

    @org.junit.jupiter.api.AfterEach
    void operatorCallsDone() {
        twilio.answerCalls();
        awaitOperatorCalls();
    }

    final HttpClient http = HttpClient.newHttpClient();
    final List<Operator> created = new ArrayList<>();

    @AfterEach
    void offDuty() {
        created.forEach(o -> duty.set(o.id(), false, List.of(), null));
    }

    @Test
    void offersTheLanguagesInTheNumbersLanguageFirstEachInItsOwnVoice() throws Exception {
        var call = new Call(FakeTwilio.newNumber(), KOREAN_LINE);
        var menu = call.post("", null, Map.of());
        var gather = single(menu, "Gather");
        assertThat(gather.getAttribute("numDigits")).isEqualTo("1");
        assertThat(gather.getAttribute("action")).isEqualTo(PUBLIC_URL + "/webhooks/voice/language?l=ko");
        var says = children(gather, "Say");
        assertThat(says).extracting(s -> s.getAttribute("language")).containsExactly("ko-KR", "ru-RU", "uk-UA", "en-US");
        assertThat(says).extracting(s -> s.getAttribute("voice"))
                .containsExactly("Google.ko-KR-Standard-A", "Google.ru-RU-Standard-A", "Google.uk-UA-Standard-A",
                        "Google.en-US-Standard-C");
        assertThat(says.get(0).getTextContent()).contains("2번");
        assertThat(says.get(1).getTextContent()).contains("русском", "1");
        assertThat(TwimlChecks.verbs(menu)).containsExactly("Gather", "Redirect");
        // no key: the number's language
        assertThat(TwimlChecks.elements(menu).get(1).getTextContent()).isEqualTo(PUBLIC_URL + "/webhooks/voice/menu?l=ko");

        var russian = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE).post("", null, Map.of());
        assertThat(children(single(russian, "Gather"), "Say")).extracting(s -> s.getAttribute("language"))
                .containsExactly("ru-RU", "ko-KR", "uk-UA", "en-US");
    }

    @Test
    void theMenuIsSpokenInTheChosenLanguageOrPlayedWhereARecordingIsConfigured() throws Exception {
        var call = new Call(FakeTwilio.newNumber(), KOREAN_LINE);
        call.post("", null, Map.of());
        var expected = Map.of("1", "ru-RU", "2", "ko-KR", "3", "uk-UA");
        var words = Map.of("1", "оператором", "2", "담당자", "3", "оператором");
        for (var digit : expected.keySet()) {
            var menu = call.post("/language", "l=ko", Map.of("Digits", digit));
            var say = single(single(menu, "Gather"), "Say");
            assertThat(say.getAttribute("language")).as(digit).isEqualTo(expected.get(digit));
            assertThat(say.getTextContent()).as(digit).contains(words.get(digit));
        }
        var english = call.post("/language", "l=ko", Map.of("Digits", "4"));
        var gather = single(english, "Gather");
        assertThat(gather.getAttribute("action")).isEqualTo(PUBLIC_URL + "/webhooks/voice/choice?l=en");
        assertThat(single(gather, "Play").getTextContent()).isEqualTo(ENGLISH_MENU_AUDIO);
        assertThat(children(gather, "Say")).isEmpty();
        // another key: the languages again
        assertThat(single(call.post("/language", "l=ko", Map.of("Digits", "9")), "Gather").getAttribute("action"))
                .endsWith("/webhooks/voice/language?l=ko");
    }

    @Test
    void keysRepeatTheMenuGoBackAndReachTheVoicemailAtOnce() throws Exception {
        var call = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        call.post("", null, Map.of());
        var repeat = call.post("/choice", "l=ru", Map.of("Digits", "*"));
        assertThat(single(repeat, "Gather").getAttribute("action")).endsWith("/webhooks/voice/choice?l=ru");
        var back = call.post("/choice", "l=ru", Map.of("Digits", "0"));
        assertThat(single(back, "Gather").getAttribute("action")).endsWith("/webhooks/voice/language?l=ru");
        var voicemail = call.post("/choice", "l=ru", Map.of("Digits", "2"));
        assertThat(TwimlChecks.verbs(voicemail)).containsExactly("Say", "Record", "Say", "Hangup");
        var record = single(voicemail, "Record");
        assertThat(record.getAttribute("action")).isEqualTo(PUBLIC_URL + "/webhooks/voice/recorded?l=ru");
        assertThat(record.getAttribute("maxLength")).isEqualTo("120");
        assertThat(record.getAttribute("finishOnKey")).isEqualTo("#");
        var invalid = call.post("/choice", "l=ru", Map.of("Digits", "7"));
        assertThat(TwimlChecks.verbs(invalid)).containsExactly("Say", "Gather", "Redirect");
        assertThat(TwimlChecks.elements(invalid).getFirst().getTextContent()).contains("клавиша");
    }

    @Test
    void putsTheCallerInHisLanguagesQueueAndCallsAFreeOperatorWhoSpeaksItNeverTheCaller() throws Exception {
        var russianSpeaker = operator(true, List.of("ru", "uk"), "+380501234567");
        var sipOperator = operator(true, List.of("ru"), "sip:duty@pbx.example.org");
        operator(true, List.of("ko"), "+380509999999");
        operator(false, List.of("ru"), "+380507777777");
        var mine = Map.of("+380501234567", russianSpeaker, "sip:duty@pbx.example.org", sipOperator);
        var call = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        call.post("", null, Map.of());
        var before = twilio.placedCalls().size();

        var queued = call.post("/choice", "l=ru", Map.of("Digits", "1"));
        assertThat(TwimlChecks.verbs(queued)).containsExactly("Enqueue");
        var enqueue = single(queued, "Enqueue");
        assertThat(enqueue.getTextContent()).isEqualTo("lifeline-ru");
        assertThat(enqueue.getAttribute("waitUrl")).isEqualTo(PUBLIC_URL + "/webhooks/voice/wait?l=ru");
        assertThat(enqueue.getAttribute("action")).isEqualTo(PUBLIC_URL + "/webhooks/voice/queued?l=ru");
        assertThat(phoneLine.waitingByLanguage()).containsEntry("ru", 1);

        // one caller waits: one operator of his language is called, from the hotline's number, to the queue
        awaitOperatorCalls();
        var placed = twilio.placedCalls().subList(before, twilio.placedCalls().size());
        assertThat(placed).hasSize(1);
        var toOperator = placed.getFirst().form();
        assertThat(mine).containsKey(toOperator.get("To"));
        assertThat(toOperator).containsEntry("From", RUSSIAN_LINE).containsEntry("Method", "POST")
                .containsEntry("StatusCallbackMethod", "POST").containsEntry("Timeout", "30");
        var operator = mine.get(toOperator.get("To"));
        assertThat(toOperator.get("Url")).isEqualTo(PUBLIC_URL + "/webhooks/voice/operator?l=ru&o=" + operator.id().value());
        assertThat(toOperator.get("StatusCallback"))
                .isEqualTo(PUBLIC_URL + "/webhooks/voice/operator-status?l=ru&o=" + operator.id().value());
        assertThat(twilio.placedCalls()).extracting(c -> c.form().get("To")).doesNotContain(call.from);
        assertThat(String.join(" ", toOperator.values())).doesNotContain(call.from);

        // while he waits: his place, the hold message and the voicemail key, in Russian, again at every turn
        var waiting = call.post("/wait", "l=ru", FakeTwilio.queueWait(1, 4, 1));
        assertThat(TwimlChecks.verbs(waiting)).containsExactly("Gather");
        var gather = single(waiting, "Gather");
        assertThat(gather.getAttribute("action")).isEqualTo(PUBLIC_URL + "/webhooks/voice/wait-key?l=ru");
        assertThat(children(gather, "Say")).extracting(Element::getTextContent)
                .containsExactly("Ваш номер в очереди: 1.", VoicePrompt.HOLD.text("ru"), VoicePrompt.QUEUE_OPTIONS.text("ru"));
        awaitOperatorCalls();
        assertThat(twilio.placedCalls()).as("the operator already rung is not rung twice").hasSize(before + 1);

        // the operator picks up: he hears the caller's language and takes the first caller of the Russian queue
        var operatorLeg = FakeTwilio.call(placed.getFirst().sid(), RUSSIAN_LINE, toOperator.get("To"),
                Map.of("Direction", "outbound-api"));
        var picked = post(toOperator.get("Url").substring(PUBLIC_URL.length()), operatorLeg);
        assertThat(TwimlChecks.verbs(picked)).containsExactly("Say", "Dial", "Hangup");
        assertThat(single(picked, "Say").getTextContent()).contains("російська");
        var queue = single(single(picked, "Dial"), "Queue");
        assertThat(queue.getTextContent()).isEqualTo("lifeline-ru");
        var connected = queue.getAttribute("url");
        assertThat(connected).isEqualTo(PUBLIC_URL + "/webhooks/voice/connected?l=ru&o=" + operator.id().value());

        // the provider takes him from the queue: the call is the operator's
        var joined = post(connected.substring(PUBLIC_URL.length()),
                FakeTwilio.call(call.sid, call.from, RUSSIAN_LINE, FakeTwilio.dequeued(21, placed.getFirst().sid())));
        assertThat(TwimlChecks.verbs(joined)).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !phoneLine.waitingByLanguage().containsKey("ru"));

        var done = call.post("/queued", "l=ru", FakeTwilio.queueResult("bridged", 21));
        assertThat(TwimlChecks.verbs(done)).containsExactly("Hangup");
        await().atMost(Duration.ofSeconds(20)).until(() -> call.entries().contains(
                new MessageContent.Call(CallEvent.ANSWERED, null, operator.username(), null, 21)));
        assertThat(call.entries().getFirst()).isEqualTo(new MessageContent.Call(CallEvent.RANG, RUSSIAN_LINE, null, null, null));
        post("/webhooks/voice/operator-status?l=ru&o=" + operator.id().value(),
                FakeTwilio.call(placed.getFirst().sid(), RUSSIAN_LINE, toOperator.get("To"),
                        Map.of("CallStatus", "completed", "CallDuration", "80")));
    }

    @Test
    void aCallerIsAnsweredWhileTheCallsApiHasNotAnsweredYet() throws Exception {
        // operators other tests left ringing (the test clock stands still, so they never age out) are free again,
        // and nobody else on duty speaks Ukrainian: one caller, one call, to him
        jdbc.sql("update telephony_operator_line set state = 'FREE'").update();
        jdbc.sql("update operator_duty set on_duty = false").update();
        var waitingOperator = operator(true, List.of("uk"), "+380501230099");
        var call = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        call.post("", null, Map.of());
        var before = twilio.placedCalls().size();
        twilio.holdCalls();

        // the provider waits 15 s for a webhook's answer and then plays an error: ringing must not stand in between.
        // Answered inside the request, the step would wait for the held call until the client gives up (5 s), and
        // the operator would count as not called and be rung again below.
        var queued = call.post("/choice", "l=uk", Map.of("Digits", "1"));
        twilio.answerCalls();
        assertThat(TwimlChecks.verbs(queued)).containsExactly("Enqueue");
        awaitOperatorCalls();
        assertThat(twilio.placedCalls().subList(before, twilio.placedCalls().size()))
                .extracting(c -> c.form().get("To")).containsExactly("+380501230099");

        call.post("/wait", "l=uk", FakeTwilio.queueWait(1, 4, 1));
        awaitOperatorCalls();
        assertThat(twilio.placedCalls().subList(before, twilio.placedCalls().size()))
                .as("called once, and known to be ringing").hasSize(1);
        call.post("/queued", "l=uk", FakeTwilio.queueResult("hangup", 9));
        post("/webhooks/voice/operator-status?l=uk&o=" + waitingOperator.id().value(),
                FakeTwilio.call(twilio.placedCalls().getLast().sid(), RUSSIAN_LINE, "+380501230099",
                        Map.of("CallStatus", "no-answer")));
    }

    @Test
    void moreCallersThanFreeOperatorsWaitInTheQueueAndTheNextFreeOperatorIsCalled() throws Exception {
        var only = operator(true, List.of("en"), "+380501110001");
        var first = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        var second = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        first.post("", null, Map.of());
        second.post("", null, Map.of());
        assertThat(TwimlChecks.verbs(first.post("/choice", "l=en", Map.of("Digits", "1")))).containsExactly("Enqueue");
        assertThat(TwimlChecks.verbs(second.post("/choice", "l=en", Map.of("Digits", "1")))).containsExactly("Enqueue");
        assertThat(phoneLine.waitingByLanguage().get("en")).isGreaterThanOrEqualTo(2);
        awaitOperatorCalls();
        var toHim = twilio.placedCalls().stream().filter(c -> "+380501110001".equals(c.form().get("To"))).toList();
        assertThat(toHim).as("one operator is called once, however many wait").hasSize(1);
        var waiting = second.post("/wait", "l=en", FakeTwilio.queueWait(2, 10, 2));
        assertThat(children(single(waiting, "Gather"), "Say").getFirst().getTextContent())
                .isEqualTo("You are number 2 in the queue.");
        awaitOperatorCalls();
        assertThat(twilio.placedCalls().stream().filter(c -> "+380501110001".equals(c.form().get("To")))).hasSize(1);

        // he does not pick up: once his call has ended he is free, and called again for those still waiting
        post("/webhooks/voice/operator-status?l=en&o=" + only.id().value(),
                FakeTwilio.call(toHim.getFirst().sid(), RUSSIAN_LINE, "+380501110001", Map.of("CallStatus", "no-answer")));
        awaitOperatorCalls();
        assertThat(twilio.placedCalls().stream().filter(c -> "+380501110001".equals(c.form().get("To")))).hasSize(2);
        assertThat(twilio.placedCalls()).extracting(c -> c.form().get("To")).doesNotContain(first.from, second.from);
        first.post("/queued", "l=en", FakeTwilio.queueResult("hangup", 12));
        second.post("/queued", "l=en", FakeTwilio.queueResult("hangup", 14));
        await().atMost(Duration.ofSeconds(20)).until(() -> first.entries().contains(new MessageContent.Call(CallEvent.NOT_ANSWERED, null, null, "hung-up", 12)));
    }

    @Test
    void whenTheWaitRunsOutHeLeavesTheQueueAndTheVoicemailIsKeptEncryptedOnTheCaseAndDeletedAtTheProvider() throws Exception {
        operator(true, List.of("ko"), "+380501112233");
        var call = new Call(FakeTwilio.newNumber(), KOREAN_LINE);
        call.post("", null, Map.of());
        assertThat(TwimlChecks.verbs(call.post("/choice", "l=ko", Map.of("Digits", "1")))).containsExactly("Enqueue");

        var left = call.post("/wait", "l=ko", FakeTwilio.queueWait(1, 45, 1));
        assertThat(TwimlChecks.verbs(left)).containsExactly("Leave");
        var timedOut = call.post("/queued", "l=ko", FakeTwilio.queueResult("leave", 46));
        assertThat(TwimlChecks.verbs(timedOut)).containsExactly("Say", "Say", "Record", "Say", "Hangup");
        assertThat(TwimlChecks.elements(timedOut).getFirst().getTextContent()).contains("담당자가 없습니다");

        var recordingSid = FakeTwilio.newSid("RE");
        var audio = ("ID3 voicemail " + UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        twilio.addRecording(recordingSid, audio);
        var offer = call.post("/recorded", "l=ko", Map.of("RecordingSid", recordingSid, "RecordingDuration", "12",
                "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/" + FakeTwilio.ACCOUNT_SID + "/Recordings/" + recordingSid,
                "Digits", "#"));
        assertThat(TwimlChecks.verbs(offer)).containsExactly("Gather", "Say", "Hangup");
        assertThat(single(offer, "Gather").getAttribute("action")).endsWith("/webhooks/voice/callback?l=ko");

        await().atMost(Duration.ofSeconds(20)).until(() -> !twilio.holdsRecording(recordingSid));
        var voicemail = call.messages().stream().filter(m -> new MessageContent.Voicemail(12).equals(m.content())).findFirst().orElseThrow();
        var attachment = conversations.attachment(voicemail.id()).orElseThrow();
        assertThat(attachment.mediaType()).isEqualTo("audio/mpeg");
        assertThat(attachment.content()).isEqualTo(audio);
        var stored = jdbc.sql("select content_enc from message_attachment where message_id = ?").param(voicemail.id().value())
                .query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("voicemail");
        assertThat(twilio.calls()).filteredOn(c -> recordingSid.equals(c.sid())).extracting(c -> c.method() + " " + c.status())
                .startsWith("GET 200").contains("DELETE 204");
        assertThat(call.entries()).contains(new MessageContent.Call(CallEvent.NOT_ANSWERED, null, null, "waited", 46));
    }

    @Test
    void aKeyWhileWaitingLeavesTheQueueForVoicemailAndAnOperatorWhoPicksUpLateFindsNobody() throws Exception {
        var late = operator(true, List.of("uk"), "+380501113344");
        var call = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        call.post("", null, Map.of());
        call.post("/choice", "l=uk", Map.of("Digits", "1"));
        var wrongKey = call.post("/wait-key", "l=uk", Map.of("Digits", "5"));
        assertThat(TwimlChecks.verbs(wrongKey)).containsExactly("Say");
        assertThat(phoneLine.waitingByLanguage()).containsKey("uk");
        var leave = call.post("/wait-key", "l=uk", Map.of("Digits", "2"));
        assertThat(TwimlChecks.verbs(leave)).containsExactly("Leave");
        var voicemail = call.post("/queued", "l=uk", FakeTwilio.queueResult("leave", 9));
        assertThat(TwimlChecks.verbs(voicemail)).as("no 'nobody is free': he asked for it")
                .containsExactly("Say", "Record", "Say", "Hangup");
        assertThat(call.post("/queued", "l=uk", FakeTwilio.queueResult("leave", 9))).isEqualTo(voicemail);

        var picked = post("/webhooks/voice/operator?l=uk&o=" + late.id().value(),
                FakeTwilio.call(FakeTwilio.newSid("CA"), RUSSIAN_LINE, "+380501113344", Map.of("Direction", "outbound-api")));
        assertThat(TwimlChecks.verbs(picked)).containsExactly("Say", "Hangup");
        assertThat(single(picked, "Say").getTextContent()).contains("не чекає");
    }

    @Test
    void aCallsSignedRequestsSentAgainOnceTheCallIsOverAreRefusedAndChangeNothing(@Autowired ManualClock clock)
            throws Exception {
        var call = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        var incoming = FakeTwilio.webhook(port, "/webhooks/voice", FakeTwilio.call(call.sid, call.from, RUSSIAN_LINE,
                Map.of()), AUTH_TOKEN);
        var hungUp = FakeTwilio.webhook(port, "/webhooks/voice/status?l=ru", FakeTwilio.call(call.sid, call.from,
                RUSSIAN_LINE, Map.of("CallStatus", "completed")), AUTH_TOKEN);
        assertThat(http.send(incoming, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // the provider retries a call's first request within seconds; later in the call its steps go on
        assertThat(http.send(incoming, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(3));
        call.post("/menu", "l=ru", Map.of());
        var before = stored();

        // the first request again hours later is no new call (once the call's row and raw update are gone, it
        // would be taken as one: no time is signed)
        assertThat(http.send(incoming, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        clock.advance(Duration.ofDays(2));
        assertThat(http.send(hungUp, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void aRecordingTheProviderNeverLetsUsDeleteIsGivenUpOnAndLeftForAnAdminNotForgotten(@Autowired ChannelCopies copies,
            @Autowired ManualClock clock) throws Exception {
        var before = copies.undeleted().getOrDefault("voice", 0);
        var call = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        call.post("", null, Map.of());
        call.post("/choice", "l=ru", Map.of("Digits", "2"));
        var recordingSid = FakeTwilio.newSid("RE");
        twilio.addRecording(recordingSid, new byte[] {4, 5, 6});
        twilio.refuseDeleting(recordingSid);
        call.post("/recorded", "l=ru", Map.of("RecordingSid", recordingSid, "RecordingDuration", "4"));
        await().atMost(Duration.ofSeconds(20)).until(() -> call.messages().stream()
                .anyMatch(m -> new MessageContent.Voicemail(4).equals(m.content()) && conversations.attachment(m.id()).isPresent()));

        // each retry waits longer (backoff); time is moved on until the fetcher gives up
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            clock.advance(Duration.ofMinutes(6));
            return copies.undeleted().getOrDefault("voice", 0) == before + 1;
        });
        assertThat(twilio.calls()).filteredOn(c -> recordingSid.equals(c.sid()) && c.method().equals("DELETE"))
                .as("once right after the download, then eight retries")
                .hasSize(9).allSatisfy(c -> assertThat(c.status()).isEqualTo(500));
        assertThat(twilio.holdsRecording(recordingSid)).isTrue();
        assertThat(copies.acknowledge()).isGreaterThanOrEqualTo(1);
        assertThat(copies.undeleted()).doesNotContainKey("voice");
    }

    @Test
    void aCallbackRequestOpensACaseOnlyWhenHePressesForIt() throws Exception {
        var soldier = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        soldier.post("", null, Map.of());
        var confirmed = soldier.post("/callback", "l=ru", Map.of("Digits", "1"));
        assertThat(TwimlChecks.verbs(confirmed)).containsExactly("Say", "Hangup");
        assertThat(TwimlChecks.elements(confirmed).getFirst().getTextContent()).contains("перезвоним");
        var opened = await().atMost(Duration.ofSeconds(20)).until(() -> caseOf(soldier), java.util.Objects::nonNull);
        assertThat(opened.kind()).isEqualTo(CaseKind.SURRENDER_REQUEST);
        assertThat(opened.details()).containsEntry("callback", "requested").containsEntry("source", "phone");

        var relative = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        relative.post("", null, Map.of());
        relative.post("/callback", "l=ru", Map.of("Digits", "2"));
        assertThat(await().atMost(Duration.ofSeconds(20)).until(() -> caseOf(relative), java.util.Objects::nonNull).kind())
                .isEqualTo(CaseKind.FAMILY_INQUIRY);

        var declined = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        declined.post("", null, Map.of());
        assertThat(TwimlChecks.elements(declined.post("/callback", "l=ru", Map.of("Digits", "9"))).getFirst()
                .getTextContent()).isEqualTo("До свидания.");
        await().atMost(Duration.ofSeconds(20)).until(() -> declined.entries().contains(new MessageContent.Call(CallEvent.RANG, RUSSIAN_LINE, null, null, null)));
        assertThat(caseOf(declined)).isNull();
    }

    @Test
    void nobodyOnDutyForHisLanguageTakesHimToVoicemailAndAWithheldNumberIsOfferedNoCallback() throws Exception {
        operator(true, List.of("ru"), "+380501231231");
        var call = new Call("anonymous", RUSSIAN_LINE);
        call.post("", null, Map.of());
        var nobody = call.post("/choice", "l=uk", Map.of("Digits", "1"));
        assertThat(TwimlChecks.verbs(nobody)).containsExactly("Say", "Say", "Record", "Say", "Hangup");
        assertThat(TwimlChecks.elements(nobody).getFirst().getTextContent()).isEqualTo("Зараз немає вільного оператора.");
        var recordingSid = FakeTwilio.newSid("RE");
        twilio.addRecording(recordingSid, new byte[] {1, 2, 3});
        var after = call.post("/recorded", "l=uk", Map.of("RecordingSid", recordingSid, "RecordingDuration", "3"));
        assertThat(TwimlChecks.verbs(after)).containsExactly("Say", "Hangup");
        assertThat(call.post("/callback", "l=uk", Map.of("Digits", "1")).contains("Дякуємо")).isFalse();
    }

    @Test
    void refusesAWrongOrMissingSignatureWith403AndStoresNothing() throws Exception {
        var call = new Call(FakeTwilio.newNumber(), RUSSIAN_LINE);
        var before = stored();
        var parameters = FakeTwilio.call(call.sid, call.from, RUSSIAN_LINE, Map.of());
        for (var token : new String[] {"another-auth-token", null}) {
            var response = http.send(FakeTwilio.webhook(port, "/webhooks/voice", parameters, token),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).isEmpty();
        }
        // signed for one language, sent for another
        var signedForRussian = FakeTwilio.webhook(port, "/webhooks/voice/callback?l=ru",
                FakeTwilio.call(call.sid, call.from, RUSSIAN_LINE, Map.of("Digits", "1")), AUTH_TOKEN);
        var moved = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/webhooks/voice/callback?l=ko"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signedForRussian.headers().firstValue("X-Twilio-Signature").orElseThrow())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(FakeTwilio.form(
                        FakeTwilio.call(call.sid, call.from, RUSSIAN_LINE, Map.of("Digits", "1"))))).build();
        assertThat(http.send(moved, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(stored()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from telephony_call where call_sid = ?").param(call.sid).query(Long.class).single())
                .isZero();
        assertThat(conversations.findContact("voice", call.from)).isEmpty();
    }

    @Test
    void aRetriedIncomingCallIsRecordedOnceAndAnsweredAlike() throws Exception {
        var call = new Call(FakeTwilio.newNumber(), KOREAN_LINE);
        var before = stored();
        var first = call.post("", null, Map.of());
        var again = call.post("", null, Map.of());
        assertThat(again).isEqualTo(first);
        assertThat(stored()).isEqualTo(before + 1);
        // a later step of the same call is recorded after the first, in order: once it is there, a second entry
        // for the retried request would be too
        call.post("/queued", "l=ko", FakeTwilio.queueResult("hangup", 3));
        await().atMost(Duration.ofSeconds(20)).until(() -> call.entries().size() >= 2);
        assertThat(call.entries()).containsExactly(new MessageContent.Call(CallEvent.RANG, KOREAN_LINE, null, null, null),
                new MessageContent.Call(CallEvent.NOT_ANSWERED, null, null, "hung-up", 3));
    }

    private Operator operator(boolean onDuty, List<String> languages, String reachAt) {
        var operator = administration.create("duty-" + UUID.randomUUID().toString().substring(0, 8), Role.OPERATOR, PASSWORD);
        created.add(operator);
        duty.set(operator.id(), onDuty, languages, reachAt);
        return operator;
    }

    private CaseView caseOf(Call call) {
        var contact = conversations.findContact("voice", call.from);
        if (contact.isEmpty()) {
            return null;
        }
        // erased cases stay in the list without a contact
        return cases.active().stream().filter(c -> contact.get().equals(c.contact())).findFirst().orElse(null);
    }

    private long stored() {
        return updates().count("channel = 'voice'");
    }

    private String post(String pathAndQuery, Map<String, String> parameters) throws Exception {
        var response = http.send(FakeTwilio.webhook(port, pathAndQuery, parameters, AUTH_TOKEN), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/xml"));
        // each document is checked for what may stand in it where the provider asked for it
        if (pathAndQuery.startsWith("/webhooks/voice/wait")) {
            TwimlChecks.checkWait(response.body());
        } else if (pathAndQuery.startsWith("/webhooks/voice/connected")) {
            TwimlChecks.checkDequeued(response.body());
        } else {
            TwimlChecks.check(response.body());
        }
        return response.body();
    }

    /** One caller's call: its SID, his number and our number, and every request the provider makes for it. */
    final class Call {
        final String sid = FakeTwilio.newSid("CA");
        final String from;
        final String to;

        Call(String from, String to) {
            this.from = from;
            this.to = to;
        }

        String post(String step, String query, Map<String, String> more) throws Exception {
            return VoiceLineIntegrationTests.this.post("/webhooks/voice" + step + (query == null ? "" : "?" + query),
                    FakeTwilio.call(sid, from, to, more));
        }

        List<MessageView> messages() {
            var contact = conversations.findContact("voice", from);
            if (contact.isEmpty()) {
                return List.of();
            }
            return conversations.latestConversation(contact.get()).map(conversations::transcript).orElse(List.of())
                    .stream().filter(m -> m.direction() == Direction.INBOUND).toList();
        }

        List<MessageContent> entries() {
            return messages().stream().map(MessageView::content).toList();
        }
    }

    private static Element single(String twiml, String verb) {
        var found = TwimlChecks.elements(twiml).stream().filter(e -> e.getTagName().equals(verb)).toList();
        assertThat(found).as("one <%s> in %s", verb, twiml).hasSize(1);
        return found.getFirst();
    }

    private static Element single(Element parent, String name) {
        var found = children(parent, name);
        assertThat(found).as("one <%s>", name).hasSize(1);
        return found.getFirst();
    }

    private static List<Element> children(Element parent, String name) {
        var list = new ArrayList<Element>();
        var nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && (name == null || e.getTagName().equals(name))) {
                list.add(e);
            }
        }
        return list;
    }
}
