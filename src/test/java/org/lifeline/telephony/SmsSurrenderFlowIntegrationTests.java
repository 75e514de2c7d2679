package org.lifeline.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lifeline.telephony.FakeTwilio.AUTH_TOKEN;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationStatus;
import org.lifeline.conversations.Direction;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The surrender intake end to end over SMS, in Russian and in Korean: every step a signed webhook request as
 * Twilio makes it, every answer the real flow through the outbox to a fake Messages API (choices as numbered
 * lines answered by number, the location typed as coordinates once the example pasted back has been refused), and
 * at the end a case in the database and the conversation handed over to the operators.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SmsSurrenderFlowIntegrationTests {

    @RegisterExtension
    static final FakeTwilio twilio = FakeTwilio.start();
    static final String LINE = "+15005550201";
    static final Pattern NUMBERED = Pattern.compile("(?m)^1\\. ");
    /** Where he says he is: on land, away from the example the question shows. */
    static final String POSITION = "47.4312, 37.1026";

    @DynamicPropertySource
    static void telephonyProperties(DynamicPropertyRegistry registry) {
        twilio.register(registry, Map.of(LINE, "ru"));
    }


    @LocalServerPort
    int port;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRussianSpeakingSoldierGoesFromHisFirstSmsToASurrenderCase() throws Exception {
        var soldier = new Soldier(FakeTwilio.newNumber());
        soldier.surrender("Здравствуйте, я хочу сдаться", "Что вам нужно?", "ru");
        soldier.assertHandedOverIn("ru");
    }

    @Test
    void aKoreanSoldierGoesFromHisFirstSmsToASurrenderCase() throws Exception {
        var soldier = new Soldier(FakeTwilio.newNumber());
        soldier.surrender("살고 싶습니다. 도와주십시오", "무엇이 필요합니까", "ko");
        soldier.assertHandedOverIn("ko");
    }

    @Test
    void theLanguageCommandChangesTheLanguageTheLettersChose() throws Exception {
        var soldier = new Soldier(FakeTwilio.newNumber());
        soldier.send("hello");
        assertThat(soldier.nextQuestion()).contains("Что вам нужно?");
        soldier.send("/language");
        var languages = soldier.nextQuestion();
        var english = java.util.regex.Pattern.compile("(?m)^([0-9]+)\\. English").matcher(languages);
        assertThat(english.find()).as("English offered in: %s", languages).isTrue();
        soldier.send(english.group(1));
        assertThat(soldier.nextQuestion()).contains("What do you need?");
        var contact = conversations.findContact("sms", soldier.number).orElseThrow();
        assertThat(conversations.contact(contact).preferredLanguage()).isEqualTo("en");
    }

    /** One requester on his phone: what he sends, what he has been sent. */
    final class Soldier {

        final String number;
        int seen;
        int answeredAt;

        Soldier(String number) {
            this.number = number;
        }

        void surrender(String firstMessage, String menuText, String language) throws Exception {
            send(firstMessage);
            var menu = nextQuestion();
            assertThat(menu).contains(menuText);

            choose(menu, 0);
            choose(nextQuestion(), 0);
            choose(nextQuestion(), 1);
            nextMessage();
            send("3");
            choose(nextQuestion(), 0);
            choose(nextQuestion(), 0);
            var where = nextQuestion();
            assertThat(where).endsWith("\n\n" + SmsTexts.locationInstructions(language)).contains(SmsTexts.EXAMPLE);
            send(SmsTexts.EXAMPLE);
            var refusal = nextMessage();
            assertThat(refusal).as("the example is refused, not taken for his position").contains("/human")
                    .doesNotContain(SmsTexts.EXAMPLE);
            assertThat(nextQuestion()).as("and the question asked again").isEqualTo(where);
            answeredAt = seen;
            send(POSITION);
            choose(nextQuestion(), 0);
            choose(nextQuestion(), 0);

            var confirmation = String.join("\n", textsAfterLastAnswer());
            var reference = Pattern.compile("[2-9A-Z]{3}-[2-9A-Z]{3,4}").matcher(confirmation);
            assertThat(reference.find()).as("a case reference in: %s", confirmation).isTrue();
            var opened = cases.findByReference(reference.group()).orElseThrow();
            assertThat(opened.kind()).isEqualTo(CaseKind.SURRENDER_REQUEST);
            assertThat(opened.status()).isEqualTo(CaseStatus.NEW);
            assertThat(opened.details()).containsEntry("group_size", "3").containsKey("location.mgrs")
                    .containsEntry("location.lat", "47.43120").containsEntry("location.lon", "37.10260");
            assertThat(twilio.calls()).filteredOn(c -> number.equals(c.form().get("To")))
                    .as("every message accepted by the Messages API").allMatch(c -> c.status() == 201);
            assertThat(twilio.sentTo(number)).as("every message within the configured segments")
                    .allSatisfy(c -> assertThat(SmsSegments.count(c.form().get("Body"))).isLessThanOrEqualTo(10));
        }

        void assertHandedOverIn(String language) {
            var conversation = conversations.latestConversation(conversations.findContact("sms", number).orElseThrow())
                    .orElseThrow();
            assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
            assertThat(conversations.conversation(conversation).language()).isEqualTo(language);
        }

        /** Answers with the number of the option at this index, as the numbered lines show it. */
        private void choose(String question, int index) throws Exception {
            assertThat(question).contains("\n" + (index + 1) + ". ");
            answeredAt = seen;
            send(String.valueOf(index + 1));
        }

        private void send(String text) throws Exception {
            var response = http.send(FakeTwilio.webhook(port, "/webhooks/sms",
                    FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), number, LINE, text), AUTH_TOKEN),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        /** The next message that asks something: numbered options, or where he is. */
        private String nextQuestion() throws InterruptedException {
            while (true) {
                var message = nextMessage();
                if (NUMBERED.matcher(message).find() || message.contains(SmsTexts.EXAMPLE)) {
                    return message;
                }
            }
        }

        private String nextMessage() throws InterruptedException {
            var n = seen + 1;
            assertThat(twilio.awaitCalls(calls -> twilio.sentTo(number).size() >= n, Duration.ofSeconds(20)))
                    .as("message %d", n).isTrue();
            seen = n;
            return twilio.sentTo(number).get(n - 1).form().get("Body");
        }

        /** What was said after his last answer, once everything up to the handover has gone out. */
        private List<String> textsAfterLastAnswer() throws InterruptedException {
            var contact = conversations.findContact("sms", number).orElseThrow();
            await().atMost(Duration.ofSeconds(20)).until(() -> conversations.conversation(
                    conversations.latestConversation(contact).orElseThrow()).status() == ConversationStatus.HANDED_OVER);
            var outbound = conversations.transcript(conversations.latestConversation(contact).orElseThrow()).stream()
                    .filter(m -> m.direction() == Direction.OUTBOUND).count();
            assertThat(twilio.awaitCalls(calls -> twilio.sentTo(number).size() >= outbound, Duration.ofSeconds(20))).isTrue();
            seen = twilio.sentTo(number).size();
            return twilio.sentTo(number).subList(answeredAt, seen).stream().map(c -> c.form().get("Body")).toList();
        }
    }
}
