package org.lifeline.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseManagement;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationStatus;
import org.lifeline.conversations.ConversationView;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.MessageView;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A campaign's Telegram deep link end to end: a soldier whose phone is set to Russian scans a Korean campaign's QR
 * code and goes through the Korean intake; codes that are unknown, out of date, stopped or malformed start the
 * ordinary Russian conversation and attribute nothing.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TelegramCampaignIntegrationTests {

    static final String BOT = "lifeline_campaign_tg_bot";
    static final String TOKEN = "7000000014:AAcampaigntokencampaigntoken";
    static final String SECRET = "campaign-webhook-secret_0123456789";
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    static final long FIRST_CHAT = 140_000_000L + (System.nanoTime() % 100_000_000L) * 10;

    private static final String KOREAN_MENU = "무엇이 필요합니까";
    private static final String RUSSIAN_MENU = "Что вам нужно?";

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    CampaignManagement campaigns;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRussianPhoneThroughAKoreanCampaignGetsTheKoreanIntakeAndItsCaseCarriesTheCampaign() throws Exception {
        var campaign = campaigns.create(new NewCampaign("Korean video, Telegram " + System.nanoTime(), "ko",
                "KPA troops", Set.of(), null, null));
        var soldier = new Chat(FIRST_CHAT, "Иван", "ru");

        soldier.send(soldier.updates.text("/start " + campaign.code()));
        var menu = soldier.nextQuestion();
        assertThat(menu.path("text").asString()).contains(KOREAN_MENU).doesNotContain(RUSSIAN_MENU);
        assertThat(soldier.conversation().campaign()).isEqualTo(campaign.id().value());
        assertThat(soldier.conversation().language()).isEqualTo("ko");
        assertThat(soldier.conversation().entryCode()).isEqualTo(campaign.code());

        // the surrender intake, as in TelegramIntakeFlowIntegrationTests
        soldier.press(button(menu, 0));
        soldier.press(button(soldier.nextQuestion(), 0));
        soldier.press(button(soldier.nextQuestion(), 1));
        soldier.nextMessage();
        soldier.send(soldier.updates.text("3"));
        soldier.press(button(soldier.nextQuestion(), 0));
        soldier.press(button(soldier.nextQuestion(), 0));
        soldier.nextQuestion();
        soldier.send(soldier.updates.message("{\"location\":{\"latitude\":51.73,\"longitude\":36.19}}"));
        soldier.press(button(soldier.nextQuestion(), 0));
        soldier.press(button(soldier.nextQuestion(), 0));

        await().atMost(Duration.ofSeconds(30)).until(() -> soldier.conversation().status() == ConversationStatus.HANDED_OVER);
        var transcript = String.join("\n", conversations.transcript(soldier.conversation().id()).stream()
                .filter(m -> m.direction() == Direction.OUTBOUND).map(m -> m.body()).toList());
        var reference = Pattern.compile("[2-9A-Z]{3}-[2-9A-Z]{3,4}").matcher(transcript);
        assertThat(reference.find()).as("a case reference in: %s", transcript).isTrue();
        var opened = cases.findByReference(reference.group()).orElseThrow();
        assertThat(conversations.conversation(opened.conversation()).campaign()).isEqualTo(campaign.id().value());
        assertThat(campaigns.funnel(campaign.id())).isEqualTo(new CampaignFunnel(1, 1, 0, 0, 0));
        // the anonymous history that reports count, by the campaign's id
        assertThat(jdbc.sql("select distinct event from report_event where campaign_id = ? order by event").param(campaign.id().value())
                .query(String.class).list()).containsExactly("CASE_OPENED", "DELIVERED", "INTAKE_COMPLETED", "REQUEST_STARTED");
    }

    @Test
    void unknownOutOfDateStoppedAndMalformedCodesStartTheOrdinaryConversation() throws Exception {
        var today = LocalDate.now(ZoneOffset.UTC);
        var ended = campaigns.create(new NewCampaign("Ended leaflets " + System.nanoTime(), "ko", null, Set.of(),
                today.minusDays(30), today.minusDays(1)));
        var future = campaigns.create(new NewCampaign("Future leaflets " + System.nanoTime(), "ko", null, Set.of(),
                today.plusDays(1), null));
        var stopped = campaigns.create(new NewCampaign("Stopped posts " + System.nanoTime(), "ko", null, Set.of(),
                null, null));
        campaigns.setActive(stopped.id(), false);
        var codes = List.of("Zz9Zz9Zz9Zz9", ended.code(), future.code(), stopped.code(), "<b>x</b>",
                stopped.code() + "'; drop table campaign; --", "a".repeat(65), "IVANOV_Petr_1985_unit12345");

        for (var i = 0; i < codes.size(); i++) {
            var soldier = new Chat(FIRST_CHAT + 1 + i, "Пётр", "ru");
            soldier.send(soldier.updates.text("/start " + codes.get(i)));
            assertThat(soldier.nextQuestion().path("text").asString()).as("code %s", i)
                    .contains(RUSSIAN_MENU).doesNotContain(KOREAN_MENU);
            assertThat(soldier.conversation().campaign()).as("code %s", i).isNull();
            assertThat(soldier.conversation().language()).as("code %s", i).isEqualTo("ru");
            // a payload that is no running campaign's is kept nowhere: a personal link names nobody to operators
            assertThat(soldier.conversation().entryCode()).as("code %s", i).isNull();
            assertThat(conversations.transcript(soldier.conversation().id())).as("code %s", i)
                    .filteredOn(m -> m.direction() == Direction.INBOUND).extracting(MessageView::content)
                    .containsExactly(new MessageContent.Start(null));
        }
        for (var campaign : List.of(ended, future, stopped)) {
            assertThat(campaigns.funnel(campaign.id()).started()).isZero();
        }
    }

    private static String button(JsonNode reply, int index) {
        return reply.path("reply_markup").path("inline_keyboard").get(index).get(0).path("callback_data").asString();
    }

    /** One soldier's private chat with the bot, and how many of the bot's replies the test has read. */
    private final class Chat {

        final long id;
        final PrivateChatUpdates updates;
        int seen;

        Chat(long id, String firstName, String languageCode) {
            this.id = id;
            this.updates = new PrivateChatUpdates(id, firstName, languageCode);
        }

        void send(tools.jackson.databind.node.ObjectNode update) throws Exception {
            var response = http.send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, update.toString()),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        void press(String data) throws Exception {
            send(updates.press(data));
        }

        ConversationView conversation() {
            var contact = conversations.findContact("telegram", Long.toString(id)).orElseThrow();
            return conversations.conversation(conversations.latestConversation(contact).orElseThrow());
        }

        JsonNode nextQuestion() throws InterruptedException {
            while (true) {
                var reply = nextMessage();
                var markup = reply.path("reply_markup");
                if (markup.has("inline_keyboard") || markup.has("keyboard")) {
                    return reply;
                }
            }
        }

        JsonNode nextMessage() throws InterruptedException {
            var n = seen + 1;
            assertThat(telegram.awaitCalls(calls -> replies().size() >= n, Duration.ofSeconds(20)))
                    .as("reply %d in chat %d", n, id).isTrue();
            seen = n;
            return replies().get(n - 1).body();
        }

        private List<FakeTelegramBotApi.Call> replies() {
            return telegram.delivered().stream().filter(c -> c.body().path("chat_id").asLong() == id).toList();
        }
    }
}
