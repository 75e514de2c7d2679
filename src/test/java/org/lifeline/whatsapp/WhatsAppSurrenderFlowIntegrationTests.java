package org.lifeline.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lifeline.whatsapp.FakeGraphApi.APP_SECRET;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.lifeline.flows.VerifyAnswers;
import org.lifeline.site.ChannelList;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The surrender intake end to end on WhatsApp, in Russian and in Korean: every step a signed webhook delivery
 * shaped as Meta documents it, every answer the real flow through the outbox to a fake Graph API (reply buttons,
 * lists, the location request as instructions), and at the end a case in the database and the conversation
 * handed over to the operators.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WhatsAppSurrenderFlowIntegrationTests {

    @RegisterExtension
    static final FakeGraphApi graph = FakeGraphApi.start();

    @DynamicPropertySource
    static void whatsappProperties(DynamicPropertyRegistry registry) {
        graph.register(registry);
        VerifyAnswers.registerChannels(registry, "lifeline_whatsapp_test_bot");
    }

    @LocalServerPort
    int port;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    ChannelList channelList;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRussianSpeakingSoldierGoesFromHisFirstMessageToASurrenderCase() throws Exception {
        var soldier = new Soldier(WhatsAppDeliveries.newWaId());
        soldier.surrender("Здравствуйте, я хочу сдаться", "Что вам нужно?");
        soldier.assertHandedOverIn("ru");
    }

    @Test
    void aKoreanSoldierGoesFromHisFirstMessageToASurrenderCase() throws Exception {
        var soldier = new Soldier(WhatsAppDeliveries.newWaId());
        soldier.surrender("살고 싶습니다. 도와주십시오", "무엇이 필요합니까");
        soldier.assertHandedOverIn("ko");
    }

    @Test
    void theLanguageCommandChangesTheLanguageTheLettersChose() throws Exception {
        var soldier = new Soldier(WhatsAppDeliveries.newWaId());
        soldier.send(WhatsAppDeliveries.text(soldier.waId, "hello"));
        assertThat(soldier.nextQuestion().path("interactive").path("body").path("text").asString()).contains("What do you need?");

        soldier.send(WhatsAppDeliveries.text(soldier.waId, "/language"));
        var languages = soldier.nextQuestion();
        var rows = languages.path("interactive").path("action").path("sections").get(0).path("rows");
        var russian = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).path("id").asString().equals("ru")) {
                russian = i;
            }
        }
        assertThat(russian).as("Russian offered in: %s", rows).isNotNegative();
        soldier.choose(languages, russian);

        assertThat(soldier.nextQuestion().path("interactive").path("body").path("text").asString()).contains("Что вам нужно?");
        var contact = conversations.findContact("whatsapp", soldier.waId).orElseThrow();
        assertThat(conversations.contact(contact).preferredLanguage()).isEqualTo("ru");
    }

    @Test
    void verifyAnswersInTheLanguageHisLettersChoseWithExactlyTheSignedChannels() throws Exception {
        var soldier = new Soldier(WhatsAppDeliveries.newWaId());
        soldier.send(WhatsAppDeliveries.text(soldier.waId, "살고 싶습니다"));
        soldier.nextQuestion();

        soldier.send(WhatsAppDeliveries.text(soldier.waId, "/verify"));

        var answer = Soldier.textOf(soldier.nextCall());
        assertThat(answer.lines().findFirst()).hasValue(VerifyAnswers.heading("ko"));
        VerifyAnswers.assertListsExactlyTheSignedChannels(answer, channelList);
        assertThat(soldier.nextQuestion().path("interactive").path("body").path("text").asString())
                .as("the menu again").contains("무엇이 필요합니까");
    }

    @Test
    void verifyAsTheFirstMessageIsAnsweredBeforeTheMenu() throws Exception {
        var soldier = new Soldier(WhatsAppDeliveries.newWaId());

        soldier.send(WhatsAppDeliveries.text(soldier.waId, "/verify"));

        var answer = Soldier.textOf(soldier.nextCall());
        assertThat(answer.lines().findFirst()).as("the configured default language").hasValue(VerifyAnswers.heading("en"));
        VerifyAnswers.assertListsExactlyTheSignedChannels(answer, channelList);
        assertThat(soldier.nextQuestion().path("interactive").path("body").path("text").asString()).contains("What do you need?");
    }

    /** One requester on his phone: what he sends, what he has been sent. */
    final class Soldier {

        final String waId;
        int seen;
        int answeredAt;
        final List<String> kinds = new ArrayList<>();

        Soldier(String waId) {
            this.waId = waId;
        }

        void surrender(String firstMessage, String menuText) throws Exception {
            send(WhatsAppDeliveries.text(waId, firstMessage));
            var menu = nextQuestion();
            assertThat(menu.path("interactive").path("body").path("text").asString()).contains(menuText);

            choose(menu, 0);
            choose(nextQuestion(), 0);
            choose(nextQuestion(), 1);
            nextMessage();
            send(WhatsAppDeliveries.text(waId, "3"));
            choose(nextQuestion(), 0);
            choose(nextQuestion(), 0);
            var where = nextQuestion();
            assertThat(where.path("type").asString()).isEqualTo("text");
            assertThat(where.path("text").path("body").asString()).contains("📎");
            send(WhatsAppDeliveries.location(waId, 48.0159, 37.8029));
            choose(nextQuestion(), 0);
            choose(nextQuestion(), 0);

            var confirmation = String.join("\n", textsAfterLastAnswer());
            var reference = Pattern.compile("[2-9A-Z]{3}-[2-9A-Z]{3,4}").matcher(confirmation);
            assertThat(reference.find()).as("a case reference in: %s", confirmation).isTrue();
            var opened = cases.findByReference(reference.group()).orElseThrow();
            assertThat(opened.kind()).isEqualTo(CaseKind.SURRENDER_REQUEST);
            assertThat(opened.status()).isEqualTo(CaseStatus.NEW);
            assertThat(opened.details()).containsEntry("group_size", "3").containsKey("location.mgrs")
                    .containsEntry("location.kind", "shared");
            assertThat(kinds).as("questions asked with reply buttons and with a list").contains("button", "list");
            assertThat(graph.calls()).filteredOn(c -> c.body() != null && waId.equals(c.body().path("to").asString()))
                    .as("every message accepted by the Cloud API's rules").allMatch(c -> c.status() == 200);
        }

        void assertHandedOverIn(String language) {
            var conversation = conversations.latestConversation(conversations.findContact("whatsapp", waId).orElseThrow())
                    .orElseThrow();
            assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
            assertThat(conversations.conversation(conversation).language()).isEqualTo(language);
        }

        /** Presses the button or picks the list row at this index, as WhatsApp reports it. */
        private void choose(JsonNode question, int index) throws Exception {
            var interactive = question.path("interactive");
            var kind = interactive.path("type").asString();
            kinds.add(kind);
            answeredAt = seen;
            if (kind.equals("button")) {
                send(WhatsAppDeliveries.buttonReply(waId,
                        interactive.path("action").path("buttons").get(index).path("reply").path("id").asString()));
            } else {
                send(WhatsAppDeliveries.listReply(waId,
                        interactive.path("action").path("sections").get(0).path("rows").get(index).path("id").asString()));
            }
        }

        private void send(ObjectNode delivery) throws Exception {
            var response = http.send(FakeGraphApi.delivery(port, APP_SECRET, delivery.toString()),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        /** The next message that asks something: choices, or where he is. */
        private JsonNode nextQuestion() throws InterruptedException {
            while (true) {
                var message = nextMessage();
                if (message.path("type").asString().equals("interactive")
                        || message.path("text").path("body").asString("").contains("📎")) {
                    return message;
                }
            }
        }

        private FakeGraphApi.Call nextCall() throws InterruptedException {
            nextMessage();
            return graph.sentTo(waId).get(seen - 1);
        }

        private JsonNode nextMessage() throws InterruptedException {
            var n = seen + 1;
            assertThat(graph.awaitCalls(calls -> graph.sentTo(waId).size() >= n, Duration.ofSeconds(20)))
                    .as("message %d", n).isTrue();
            seen = n;
            return graph.sentTo(waId).get(n - 1).body();
        }

        /** What was said after his last answer, once everything up to the handover has gone out. */
        private List<String> textsAfterLastAnswer() throws InterruptedException {
            var contact = conversations.findContact("whatsapp", waId).orElseThrow();
            await().atMost(Duration.ofSeconds(20)).until(() -> conversations.conversation(
                    conversations.latestConversation(contact).orElseThrow()).status() == ConversationStatus.HANDED_OVER);
            var outbound = conversations.transcript(conversations.latestConversation(contact).orElseThrow()).stream()
                    .filter(m -> m.direction() == Direction.OUTBOUND).count();
            assertThat(graph.awaitCalls(calls -> graph.sentTo(waId).size() >= outbound, Duration.ofSeconds(20))).isTrue();
            seen = graph.sentTo(waId).size();
            return graph.sentTo(waId).subList(answeredAt, seen).stream().map(Soldier::textOf).toList();
        }

        private static String textOf(FakeGraphApi.Call call) {
            var body = call.body();
            return body.path("type").asString().equals("interactive")
                    ? body.path("interactive").path("body").path("text").asString()
                    : body.path("text").path("body").asString();
        }
    }
}
