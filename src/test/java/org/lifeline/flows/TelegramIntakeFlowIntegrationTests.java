package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationStatus;
import org.lifeline.conversations.Direction;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The surrender intake end to end as a Korean soldier would go through it on Telegram: every step a real webhook
 * update, every answer the real flow through the outbox to a fake Bot API, and at the end a case in the database
 * and the conversation in the operator queue. Also what he gets when a step fails or an answer is too long for one
 * message.
 */
@PersistenceTest
@Tag("integration")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TelegramIntakeFlowIntegrationTests {

    static final String BOT = "lifeline_flow_bot";
    static final String TOKEN = "7000000002:AAflowtokenflowtokenflowtoken";
    static final String SECRET = "flow-webhook-secret_0123456789";
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    static final long CHAT = 700_000_000L + (System.nanoTime() % 100_000_000L);
    static final PrivateChatUpdates soldier = new PrivateChatUpdates(CHAT, "철수", "ko");
    /** As many mirrors as a blocked service runs: the answer to /verify in every language is then over 4,096 characters. */
    static final List<String> MIRRORS = java.util.stream.IntStream.rangeClosed(1, 14)
            .mapToObj(n -> "https://mirror-number-" + n + ".example.org/help/").toList();

    static final String FAILURE = "a failure that quotes 여보십시오";
    static volatile boolean failing;

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
        VerifyAnswers.registerChannels(registry, BOT, String.join(",", MIRRORS));
    }

    /** The engine breaks while {@link #failing}: its clock throws, standing for any bug or flow problem validation missed. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FailingEngine {
        @Bean
        @Primary
        FlowCatalog failingCatalog(FlowsSettings settings, Clock clock) {
            return new BreakableFlowCatalog(settings, clock, () -> failing, FAILURE);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    FlowConversations flowConversations;

    @Autowired
    FlowSessions flowSessions;

    @Autowired
    org.lifeline.site.ChannelList channelList;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKoreanSoldierGoesFromStartToASurrenderCaseInTheOperatorQueue() throws Exception {
        send(message("{\"text\":\"/start\"}"));
        var menu = nextQuestion();
        assertThat(menu.path("text").asString()).contains("무엇이 필요합니까").doesNotContain("Что");

        press(button(menu, 0));
        var wants = nextQuestion();
        assertThat(textsSoFar()).anyMatch(text -> text.contains("VPN"));
        press(button(wants, 0));
        press(button(nextQuestion(), 1));
        nextMessage();
        send(message("{\"text\":\"3\"}"));
        press(button(nextQuestion(), 0));
        press(button(nextQuestion(), 0));
        var where = nextQuestion();
        var locationButton = where.path("reply_markup").path("keyboard").get(0).get(0);
        assertThat(locationButton.path("request_location").asBoolean()).isTrue();
        assertThat(locationButton.path("text").asString()).isEqualTo("📍 나의 정확한 위치 보내기");
        send(message("{\"location\":{\"latitude\":48.0159,\"longitude\":37.8029}}"));
        press(button(nextQuestion(), 0));
        press(button(nextQuestion(), 0));

        var confirmation = String.join("\n", textsAfterLastPress());
        var reference = Pattern.compile("[2-9A-Z]{3}-[2-9A-Z]{3,4}").matcher(confirmation);
        assertThat(reference.find()).as("a case reference in: %s", confirmation).isTrue();
        var opened = cases.findByReference(reference.group()).orElseThrow();
        assertThat(opened.kind()).isEqualTo(CaseKind.SURRENDER_REQUEST);
        assertThat(opened.status()).isEqualTo(CaseStatus.NEW);
        assertThat(opened.details()).containsEntry("group_size", "3").containsKey("location.mgrs")
                .containsEntry("location.kind", "shared");

        var contact = conversations.findOrCreateContact("telegram", Long.toString(CHAT), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);
        assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(conversations.conversation(conversation).language()).isEqualTo("ko");

        // handed over: what he writes now waits for an operator, the bot stays quiet
        send(message("{\"text\":\"여보십시오?\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> conversations.transcript(conversation).getLast().body().equals("여보십시오?"));
        assertThat(replies()).hasSize(seen);

        // but commands still work after the handover: /delete above all
        send(message("{\"text\":\"/delete\"}"));
        assertThat(nextMessage().path("text").asString()).contains("지웠습니다", "신청은 취소되였습니다");
    }

    @Test
    void verifyAnswersARussianSpeakerInRussianWithExactlyTheSignedChannelsAndAsksTheMenuAgain() throws Exception {
        var chat = CHAT + 1;
        var ivan = new PrivateChatUpdates(chat, "Иван", "ru");
        send(ivan.message("{\"text\":\"/start\"}"));
        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() >= 1, Duration.ofSeconds(20))).isTrue();

        send(ivan.message("{\"text\":\"/verify\"}"));

        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() >= 3, Duration.ofSeconds(20))).isTrue();
        var answer = repliesTo(chat).get(1).body().path("text").asString();
        assertThat(answer.lines().findFirst()).hasValue(VerifyAnswers.heading("ru"));
        VerifyAnswers.assertListsExactlyTheSignedChannels(answer, channelList);
        assertThat(repliesTo(chat).get(2).body().path("text").asString()).as("the menu again").contains("Что вам нужно?");
    }

    @Test
    void verifyBeforeALanguageIsChosenComesInPartsTelegramTakesWithTheLanguageButtonsLast() throws Exception {
        var chat = CHAT + 2;
        var hans = new PrivateChatUpdates(chat, "Hans", "de");

        send(hans.message("{\"text\":\"/verify\"}"));

        assertThat(telegram.awaitCalls(calls -> !repliesTo(chat).isEmpty()
                && repliesTo(chat).getLast().body().path("reply_markup").has("inline_keyboard"), Duration.ofSeconds(20)))
                .as("the language menu, after the answer").isTrue();
        var texts = repliesTo(chat).stream().map(c -> c.body().path("text").asString()).toList();
        assertThat(texts).allSatisfy(text -> assertThat(text.length()).isLessThanOrEqualTo(4096));
        var answer = String.join("\n", texts);
        assertThat(answer.length()).isGreaterThan(4096);
        var headings = List.of("Официальные каналы", "공식련락통로", "Офіційні канали", "the only official channels");
        assertThat(headings.stream().map(answer::indexOf).toList()).as("every language, in order").isSorted()
                .doesNotContain(-1);
        var fingerprint = org.lifeline.site.ChannelList.fingerprint(channelList.publicKeyset());
        assertThat(answer.split(fingerprint, -1)).as("each language's answer whole").hasSize(5);
        MIRRORS.forEach(mirror -> assertThat(answer).contains(mirror));
        assertThat(repliesTo(chat).getLast().body().path("reply_markup").path("inline_keyboard").size()).as("the language menu")
                .isEqualTo(4);
    }

    @Test
    void aStepThatFailsHandsTheConversationToAPersonAndKeepsTheMessage(CapturedOutput output) throws Exception {
        var chat = CHAT + 3;
        var ivan = new PrivateChatUpdates(chat, "Иван", "ru");
        send(ivan.message("{\"text\":\"/start\"}"));
        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() >= 1, Duration.ofSeconds(20))).isTrue();
        var before = repliesTo(chat).size();

        failing = true;
        try {
            send(ivan.message("{\"text\":\"여보십시오\"}"));
            assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() > before, Duration.ofSeconds(20)))
                    .as("he is told that a person takes over").isTrue();
        } finally {
            failing = false;
        }

        assertThat(repliesTo(chat).getLast().body().path("text").asString()).startsWith("Передаю разговор оператору");
        var contact = conversations.findOrCreateContact("telegram", Long.toString(chat), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);
        assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.INBOUND)
                .map(m -> m.body()).toList()).as("kept for the operator").contains("여보십시오");
        assertThat(output.getAll()).contains("IllegalStateException").doesNotContain(FAILURE).doesNotContain("여보십시오");
    }

    @Test
    void aTimerStepThatFailsHandsTheConversationToAPersonQuietlyAndStopsTheTimer() throws Exception {
        var chat = CHAT + 4;
        var ivan = new PrivateChatUpdates(chat, "Иван", "ru");
        send(ivan.message("{\"text\":\"/start\"}"));
        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() >= 1, Duration.ofSeconds(20))).isTrue();
        var contact = conversations.findOrCreateContact("telegram", Long.toString(chat), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);
        var dayLater = Instant.now().plus(Duration.ofDays(1));

        failing = true;
        try {
            assertThat(flowConversations.tick(conversation, dayLater)).isZero();
        } finally {
            failing = false;
        }

        assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(flowSessions.dueBy(dayLater, null, 10_000)).as("its timer stopped")
                .noneMatch(due -> due.conversation().equals(conversation));
        assertThat(conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.OUTBOUND))
                .as("nothing said unasked").hasSize(1);
    }

    private List<FakeTelegramBotApi.Call> repliesTo(long chat) {
        return telegram.delivered().stream().filter(c -> c.body().path("chat_id").asLong() == chat).toList();
    }

    private String button(JsonNode reply, int index) {
        return reply.path("reply_markup").path("inline_keyboard").get(index).get(0).path("callback_data").asString();
    }

    private ObjectNode message(String fields) {
        return soldier.message(fields);
    }

    private void press(String data) throws Exception {
        pressedAt = seen;
        send(soldier.press(data));
    }

    private void send(ObjectNode update) throws Exception {
        var response = http.send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, update.toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private int seen;
    private int pressedAt;

    /** Waits for the next reply that asks something (buttons or a location request) and returns it. */
    private JsonNode nextQuestion() throws InterruptedException {
        while (true) {
            var reply = nextMessage();
            var markup = reply.path("reply_markup");
            if (markup.has("inline_keyboard") || markup.has("keyboard")) {
                return reply;
            }
        }
    }

    /** Waits for the next reply the bot sends in this chat. */
    private JsonNode nextMessage() throws InterruptedException {
        var n = seen + 1;
        assertThat(telegram.awaitCalls(calls -> replies().size() >= n, Duration.ofSeconds(20))).as("reply %d", n).isTrue();
        seen = n;
        return replies().get(n - 1).body();
    }

    private List<String> textsSoFar() {
        return replies().stream().limit(seen).map(c -> c.body().path("text").asString()).toList();
    }

    /** The replies to the last button press, once the bot has said everything up to the handover. */
    private List<String> textsAfterLastPress() throws InterruptedException {
        var contact = conversations.findOrCreateContact("telegram", Long.toString(CHAT), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> conversations.conversation(
                conversations.openOrResumeConversation(contact, null, null)).status() == ConversationStatus.HANDED_OVER);
        var outbound = conversations.transcript(conversations.openOrResumeConversation(contact, null, null)).stream()
                .filter(m -> m.direction() == Direction.OUTBOUND).count();
        assertThat(telegram.awaitCalls(calls -> replies().size() >= outbound, Duration.ofSeconds(20))).isTrue();
        seen = replies().size();
        return replies().subList(pressedAt, seen).stream().map(c -> c.body().path("text").asString()).toList();
    }

    private List<FakeTelegramBotApi.Call> replies() {
        return telegram.delivered().stream().filter(c -> c.body().path("chat_id").asLong() == CHAT).toList();
    }
}
