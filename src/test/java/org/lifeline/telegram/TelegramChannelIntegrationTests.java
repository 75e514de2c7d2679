package org.lifeline.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
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
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.MessageView;
import org.lifeline.console.web.TranscriptLine;
import org.lifeline.conversations.Reachability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Telegram channel end to end over real HTTP: webhook in, through storage and processing, a reply out to a
 * local fake of the Bot API that answers like the real one. The conversation driver here echoes what it gets,
 * standing in for the flows.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {org.lifeline.LifelineApplication.class, TelegramChannelIntegrationTests.Echo.class})
class TelegramChannelIntegrationTests {

    static final String BOT = "lifeline_test_bot";
    static final String POLL_BOT = "lifeline_poll_bot";
    static final String TOKEN = "7000000001:AAtesttokentesttokentesttoken";
    static final String SECRET = "s3cret-webhook-token_0123456789";
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    static final AtomicLong chats = new AtomicLong(500_000_000L + (System.nanoTime() % 100_000_000L));

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
        registry.add("lifeline.telegram.bots[1].username", () -> POLL_BOT);
        registry.add("lifeline.telegram.bots[1].token", () -> TOKEN);
        registry.add("lifeline.telegram.bots[1].mode", () -> "polling");
        registry.add("lifeline.telegram.poll-timeout", () -> "2s");
        registry.add("lifeline.telegram.inbound-per-sender-per-minute", () -> "20");
    }

    /** Stands in for the flows: answers every event through the gateway, so replies can be observed. */
    @TestConfiguration
    static class Echo {
        @Bean
        @Primary
        InboundEventHandler echo(ChannelGateway gateway) {
            return event -> {
                switch (event) {
                    case InboundEvent.TextReceived t -> gateway.send(t.conversation(), new OutboundContent.Text("echo: " + t.text()));
                    case InboundEvent.Started s -> gateway.send(s.conversation(), new OutboundContent.Choices(s.entryCode() == null ? "start" : "start " + s.entryCode(),
                            List.of(new OutboundContent.Choice("surrender", "Сдаться"), new OutboundContent.Choice("family", "Ищу родных"))));
                    case InboundEvent.ChoiceMade c -> gateway.send(c.conversation(), new OutboundContent.LocationRequest("chose " + c.choiceId(), "📍"));
                    case InboundEvent.LocationShared l -> gateway.send(l.conversation(), new OutboundContent.Text("location " + l.latitude()));
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

    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void fresh() {
        telegram.enforceLimits(true);
    }

    @Test
    void rejectsWebhookWithWrongOrMissingSecretAndStoresNothing() throws Exception {
        var update = textUpdate(newChat(), "hello");
        var before = storedUpdates();

        assertThat(post(BOT, "wrong-secret-0123456789", update.toString()).statusCode()).isEqualTo(401);
        assertThat(post(BOT, null, update.toString()).statusCode()).isEqualTo(401);
        assertThat(storedUpdates()).isEqualTo(before);
    }

    @Test
    void refusesAWrongSecretBeforeReadingTheBody() throws Exception {
        // a body announced and never sent, as from a client that would hold a request thread and a megabyte of
        // memory for as long as it takes to send it: a delivery without the secret is answered at once
        var head = org.lifeline.testing.UnsentBodies.answerHead(port, "POST", "/webhooks/telegram/" + BOT,
                List.of("Content-Type: application/json", "X-Telegram-Bot-Api-Secret-Token: wrong-secret-0123456789"),
                TelegramIntake.MAX_UPDATE_BYTES, "{\"update_id\":");

        assertThat(head.getFirst()).startsWith("http/1.1 401");
        assertThat(head).contains("connection: close");
    }

    @Test
    void answersMalformedJsonAndNonUpdatesWith400() throws Exception {
        var before = storedUpdates();

        assertThat(post(BOT, SECRET, "{\"update_id\": 1, ").statusCode()).isEqualTo(400);
        assertThat(post(BOT, SECRET, "[1,2,3]").statusCode()).isEqualTo(400);
        assertThat(post(BOT, SECRET, "{\"message\":{}}").statusCode()).isEqualTo(400);
        assertThat(storedUpdates()).isEqualTo(before);
    }

    @Test
    void refusesABodyGivingAKeyTwiceWith400AndStoresNothing() throws Exception {
        // read as its last value, a key given twice is an update that a reader taking the first would see otherwise
        var before = storedUpdates();
        var chat = newChat();
        var update = textUpdate(chat, "first").toString();
        var twiceAtTop = update.replaceFirst("\\{", "{\"update_id\":" + PrivateChatUpdates.nextUpdateId() + ",");
        var twiceInTheMessage = update.replace("\"text\":\"first\"", "\"text\":\"first\",\"text\":\"second\"");
        assertThat(twiceAtTop).isNotEqualTo(update);
        assertThat(twiceInTheMessage).isNotEqualTo(update);

        assertThat(post(BOT, SECRET, twiceAtTop).statusCode()).isEqualTo(400);
        assertThat(post(BOT, SECRET, twiceInTheMessage).statusCode()).isEqualTo(400);
        assertThat(storedUpdates()).isEqualTo(before);
        assertThat(post(BOT, SECRET, update).statusCode()).isEqualTo(200);
        assertThat(storedUpdates()).isEqualTo(before + 1);
        assertThat(awaitReplies(chat, 1).getFirst().body().path("text").asString()).isEqualTo("echo: first");
    }

    @Test
    void refusesUpdateIdsOutOfRangeWith400SoTelegramDoesNotRedeliverThemForEver() throws Exception {
        var before = storedUpdates();
        var update = textUpdate(newChat(), "x");

        for (var id : List.of("1".repeat(201), "9223372036854775808", "-5", "1.5")) {
            assertThat(post(BOT, SECRET, update.toString().replaceFirst("\"update_id\":[0-9]+", "\"update_id\":" + id))
                    .statusCode()).as("update_id %s", id).isEqualTo(400);
        }
        assertThat(storedUpdates()).isEqualTo(before);
    }

    @Test
    void refusesUnknownBotsLikeAWrongSecretAndOversizedBodies() throws Exception {
        var unknown = post("someone_elses_bot", SECRET, textUpdate(newChat(), "x").toString());
        var wrongSecret = post(BOT, "wrong-secret-0123456789", textUpdate(newChat(), "x").toString());
        assertThat(unknown.statusCode()).as("a scanner cannot tell which bots exist").isEqualTo(401)
                .isEqualTo(wrongSecret.statusCode());
        assertThat(unknown.body()).isEqualTo(wrongSecret.body());
        assertThat(post(POLL_BOT, SECRET, textUpdate(newChat(), "x").toString()).statusCode()).isEqualTo(401);
        var huge = "{\"update_id\":" + PrivateChatUpdates.nextUpdateId() + ",\"pad\":\"" + "x".repeat(TelegramIntake.MAX_UPDATE_BYTES) + "\"}";
        assertThat(post(BOT, SECRET, huge).statusCode()).isEqualTo(413);
    }

    @Test
    void answersOnlyPostsEmptyAndWithTheSiteWideSecurityHeaders() throws Exception {
        var stored = post(BOT, SECRET, textUpdate(newChat(), "x").toString());
        var get = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/webhooks/telegram/" + BOT)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        for (var response : List.of(stored, get)) {
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString().startsWith("default-src 'none'");
            assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void acknowledgesEveryDocumentedUpdateTypeAfterStoringIt() throws Exception {
        for (var name : List.of("message-text", "message-start", "edited-message", "callback-query", "location",
                "contact", "photo", "my-chat-member-kicked", "message-reaction", "sticker")) {
            var update = TelegramUpdatesTests.recent(name);
            var id = PrivateChatUpdates.nextUpdateId();
            update.put("update_id", id);

            assertThat(post(BOT, SECRET, update.toString()).statusCode()).as(name).isEqualTo(200);
            assertThat(updates().count("endpoint = ? and idempotency_key = ?", BOT, Long.toString(id))).as(name + " stored before 200").isEqualTo(1);
        }
    }

    @Test
    void anUpdateWhoseChatIdIsNoIntegerIsPassedOverNotRetriedUntilSetAside() throws Exception {
        // only whoever holds the webhook's secret can send these; they are not Telegram's, and none can be answered
        var ids = new java.util.ArrayList<Long>();
        for (var kind : List.of("a string", "a fraction", "past 64 bits")) {
            var update = TelegramUpdatesTests.recent("message-text");
            var chat = (ObjectNode) update.get("message").get("chat");
            switch (kind) {
                case "a string" -> chat.put("id", "1111111");
                case "a fraction" -> chat.put("id", 1111111.5);
                default -> chat.put("id", new java.math.BigInteger("99999999999999999999999"));
            }
            var id = PrivateChatUpdates.nextUpdateId();
            update.put("update_id", id);
            ids.add(id);
            assertThat(post(BOT, SECRET, update.toString()).statusCode()).as(kind).isEqualTo(200);
        }
        for (var id : ids) {
            await().atMost(Duration.ofSeconds(20)).until(() -> updates().count(
                    "endpoint = ? and idempotency_key = ? and state = 'PROCESSED'", BOT, Long.toString(id)) == 1);
            // processed, so in inbound_update alone
            assertThat(jdbc.sql("select attempts from inbound_update where endpoint = ? and idempotency_key = ?")
                    .params(BOT, Long.toString(id)).query(Integer.class).single()).as("no attempt failed").isZero();
        }
    }

    @Test
    void aLanguageHintThatIsNoLanguageIsIgnoredNotFatal() throws Exception {
        // a client sets language_code as it likes: the message it came with is answered all the same
        for (var hint : List.of("x", "1", "toolong-lang", "ру", "en-US-x-twain-extra")) {
            var chat = newChat();
            var update = new PrivateChatUpdates(chat, "Тест", hint).text("привет");
            assertThat(post(BOT, SECRET, update.toString()).statusCode()).isEqualTo(200);

            assertThat(awaitReplies(chat, 1)).as(hint).hasSize(1);
        }
    }

    @Test
    void repliesInTheChatThroughTheOutboxWithHtmlEscaped() throws Exception {
        var chat = newChat();

        post(BOT, SECRET, textUpdate(chat, "<b>мне нужна помощь</b> & 도움").toString());

        var reply = awaitReplies(chat, 1).getFirst();
        assertThat(reply.body().path("text").asString()).isEqualTo("echo: &lt;b&gt;мне нужна помощь&lt;/b&gt; &amp; 도움");
        assertThat(reply.body().path("parse_mode").asString()).isEqualTo("HTML");
    }

    @Test
    void eachKindOfUpdateIsStoredWithItsContentAndShownFromItsKindInTheConsole(@Autowired TranscriptLine console)
            throws Exception {
        var chat = newChat();
        post(BOT, SECRET, update(chat, "{\"text\":\"/start kr-video-7\"}").toString());
        awaitReplies(chat, 1);
        post(BOT, SECRET, pressed(chat, "cbk-" + chat, "surrender").toString());
        awaitReplies(chat, 2);
        for (var name : List.of("location", "contact")) {
            var update = TelegramUpdatesTests.recent(name);
            update.put("update_id", PrivateChatUpdates.nextUpdateId());
            ((ObjectNode) update.get("message").get("chat")).put("id", chat);
            post(BOT, SECRET, update.toString());
        }

        // no campaign's code: the payload is dropped, never stored
        var expected = List.<MessageContent>of(new MessageContent.Start(null),
                new MessageContent.Choice("surrender"), new MessageContent.Location(48.015883, 37.80285),
                new MessageContent.ContactCard("+79161234567"));
        // every update answered: nothing of this test is left to be sent while the next one runs
        assertThat(awaitReplies(chat, 4)).extracting(c -> c.body().path("text").asString())
                .endsWith("location 48.015883", "got ContactShared");
        assertThat(inboundContents(chat)).containsExactlyElementsOf(expected);
        assertThat(inboundContents(chat)).extracting(c -> console.line(c, java.util.Locale.ENGLISH)).containsExactly(
                "Started the conversation", "Chose: surrender",
                "Shared a location: 48.015883, 37.802850", "Shared a contact card: +79161234567");
        // a start stored before payloads were dropped is shown without its payload
        assertThat(console.line(new MessageContent.Start("IVANOV_Petr_1985-unit-12345"), java.util.Locale.ENGLISH))
                .isEqualTo("Started the conversation");
    }

    /** A button of ours pressed in the chat. */
    private ObjectNode pressed(long chat, String callbackId, String data) {
        var callback = json.createObjectNode().put("update_id", PrivateChatUpdates.nextUpdateId());
        callback.putObject("callback_query").put("id", callbackId).put("data", data)
                .put("chat_instance", "1")
                .<ObjectNode>set("from", json.createObjectNode().put("id", chat).put("is_bot", false).put("first_name", "A"))
                .putObject("message").put("message_id", 1).put("date", 1)
                .putObject("chat").put("id", chat).put("type", "private");
        return callback;
    }

    private List<MessageContent> inboundContents(long chat) {
        return conversationIfAny(chat).map(conversation -> conversations.transcript(conversation).stream()
                .filter(m -> m.direction() == Direction.INBOUND).map(MessageView::content).toList()).orElse(List.of());
    }

    @Test
    void rendersChoicesAsInlineButtonsAndLocationRequestsAsAReplyKeyboard() throws Exception {
        var chat = newChat();

        post(BOT, SECRET, update(chat, "{\"text\":\"/start kr-video-7\"}").toString());
        var choices = awaitReplies(chat, 1).getFirst().body();
        assertThat(choices.path("text").asString()).isEqualTo("start");
        assertThat(choices.path("reply_markup").path("inline_keyboard").get(0).get(0).path("callback_data").asString())
                .isEqualTo("surrender");

        var press = post(BOT, SECRET, pressed(chat, "cb-" + chat, "surrender").toString());

        // the button's spinner is stopped by the delivery's answer: Telegram makes the request as it is acknowledged
        assertThat(press.statusCode()).isEqualTo(200);
        assertThat(press.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        var request = json.readTree(press.body());
        assertThat(request.path("method").asString()).isEqualTo("answerCallbackQuery");
        assertThat(request.path("callback_query_id").asString()).isEqualTo("cb-" + chat);
        var location = awaitReplies(chat, 2).get(1).body();
        assertThat(location.path("reply_markup").path("keyboard").get(0).get(0).path("request_location").asBoolean()).isTrue();
        // a text's delivery is answered with nothing
        assertThat(post(BOT, SECRET, textUpdate(chat, "plain").toString()).body()).isEmpty();
    }

    @Test
    void aPollingBotsPressIsAnsweredByACallOnceProcessedAWebhookBotsByNone(@Autowired TelegramAdapter adapter)
            throws Exception {
        var chat = newChat();
        var press = pressed(chat, "cbp-" + chat, "surrender");
        telegram.queueUpdate(press);

        // a polling bot has no delivery to answer: Lifeline calls answerCallbackQuery once the press is processed
        assertThat(telegram.awaitCalls(calls -> answered(calls, "cbp-" + chat) == 1, Duration.ofSeconds(20))).isTrue();
        // a webhook bot's acknowledgement makes no call (its delivery's answer asked for it); a polling bot's does
        adapter.acknowledge(BOT, press.toString());
        assertThat(answered(telegram.calls(), "cbp-" + chat)).isEqualTo(1);
        adapter.acknowledge(POLL_BOT, press.toString());
        assertThat(answered(telegram.calls(), "cbp-" + chat)).isEqualTo(2);
    }

    private static long answered(List<FakeTelegramBotApi.Call> calls, String callbackId) {
        return calls.stream().filter(c -> c.method().equals("answerCallbackQuery")
                && c.body().path("callback_query_id").asString().equals(callbackId)).count();
    }

    @Test
    void redeliveredUpdateProducesNoSecondReply() throws Exception {
        var chat = newChat();
        var update = textUpdate(chat, "once");

        assertThat(post(BOT, SECRET, update.toString()).statusCode()).isEqualTo(200);
        assertThat(post(BOT, SECRET, update.toString()).statusCode()).isEqualTo(200);
        awaitReplies(chat, 1);
        // a later update of the same chat is answered only after everything before it: once its reply is there,
        // a second reply to the redelivered update would have been sent already
        post(BOT, SECRET, textUpdate(chat, "after").toString());
        var replies = awaitReplies(chat, 2);

        assertThat(replies).extracting(c -> c.body().path("text").asString()).containsExactly("echo: once", "echo: after");
    }

    @Test
    void anUpdateOlderThanItsDuplicateIsRememberedIsAcknowledgedButNeitherStoredNorProcessed() throws Exception {
        // inbound-updates and flood-drops keep an update's row 7 days: one dated longer ago than that, less a day for
        // the clocks, may have been taken and forgotten, and a replay of it would be taken as new
        var chat = newChat();
        var now = java.time.Instant.now();
        var before = storedUpdates();
        for (var age : List.of(Duration.ofDays(8), Duration.ofDays(6).plusHours(1))) {
            var old = textUpdate(chat, "old");
            ((ObjectNode) old.get("message")).put("date", now.minus(age).getEpochSecond());
            assertThat(post(BOT, SECRET, old.toString()).statusCode()).as("%s old", age).isEqualTo(200);
        }
        var edited = TelegramUpdatesTests.recent("edited-message");
        edited.put("update_id", PrivateChatUpdates.nextUpdateId());
        ((ObjectNode) edited.get("edited_message")).put("edit_date", now.minus(Duration.ofDays(7)).getEpochSecond());
        var kicked = TelegramUpdatesTests.recent("my-chat-member-kicked");
        kicked.put("update_id", PrivateChatUpdates.nextUpdateId());
        ((ObjectNode) kicked.get("my_chat_member")).put("date", now.minus(Duration.ofDays(7)).getEpochSecond());
        assertThat(post(BOT, SECRET, edited.toString()).statusCode()).isEqualTo(200);
        assertThat(post(BOT, SECRET, kicked.toString()).statusCode()).isEqualTo(200);
        assertThat(storedUpdates()).isEqualTo(before);

        // Telegram keeps an update it could not deliver for a day: one that old is taken
        var dayOld = textUpdate(chat, "yesterday");
        ((ObjectNode) dayOld.get("message")).put("date", now.minus(Duration.ofHours(25)).getEpochSecond());
        assertThat(post(BOT, SECRET, dayOld.toString()).statusCode()).isEqualTo(200);
        assertThat(storedUpdates()).isEqualTo(before + 1);
        // his updates are answered in order: the old ones, had they been taken, would have been answered first
        assertThat(awaitReplies(chat, 1)).extracting(c -> c.body().path("text").asString())
                .containsExactly("echo: yesterday");
    }

    @Test
    void aTooManyRequestsAnswerDelaysButNeverLosesAMessage() throws Exception {
        var chat = newChat();
        telegram.failNext("sendMessage", 429, "Too Many Requests: retry after 1", 1L);

        post(BOT, SECRET, textUpdate(chat, "first").toString());
        post(BOT, SECRET, textUpdate(chat, "second").toString());

        var replies = awaitReplies(chat, 2);
        assertThat(replies).extracting(c -> c.body().path("text").asString()).containsExactly("echo: first", "echo: second");
        var attempts = telegram.calls("sendMessage").stream().filter(c -> c.body().path("chat_id").asLong() == chat).toList();
        assertThat(attempts.getFirst().status()).isEqualTo(429);
        assertThat(Duration.between(attempts.getFirst().at(), replies.getFirst().at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void retriesServerErrorsAndStopsAtBlockedOrBadRequests() throws Exception {
        var chat = newChat();
        telegram.failNext("sendMessage", 502, "Bad Gateway", null);
        post(BOT, SECRET, textUpdate(chat, "retry me").toString());
        assertThat(awaitReplies(chat, 1).getFirst().body().path("text").asString()).isEqualTo("echo: retry me");

        var blocked = newChat();
        telegram.failNext("sendMessage", 403, "Forbidden: bot was blocked by the user", null);
        post(BOT, SECRET, textUpdate(blocked, "are you there").toString());
        await().atMost(Duration.ofSeconds(15)).until(() -> outboxStates(blocked).contains("FAILED"));
        var transcript = conversations.transcript(conversationOf(blocked));
        assertThat(transcript.getLast().delivery()).isEqualTo(DeliveryState.FAILED);
        assertThat(transcript.getLast().deliveryDetail()).isEqualTo("blocked");
        assertThat(telegram.calls("sendMessage").stream().filter(c -> c.body().path("chat_id").asLong() == blocked)).hasSize(1);
    }

    @Test
    void sendsNothingMoreToAContactAnOperatorBlocked(@Autowired ChannelGateway gateway,
            @Autowired org.springframework.transaction.support.TransactionTemplate transaction) throws Exception {
        var chat = newChat();
        post(BOT, SECRET, textUpdate(chat, "hello").toString());
        awaitReplies(chat, 1);
        var conversation = conversationOf(chat);
        var contact = conversations.conversation(conversation).contact();

        // waiting in the outbox when he is blocked (the same transaction: the dispatcher cannot have it yet)
        var waiting = transaction.execute(status -> {
            var message = gateway.send(conversation, new OutboundContent.Text("meet at the bridge"));
            conversations.markBlocked(contact);
            return message;
        });
        var later = gateway.send(conversation, new OutboundContent.Text("are you there?"));
        // a later message to another chat has gone out, so the dispatcher has passed his
        var other = newChat();
        post(BOT, SECRET, textUpdate(other, "anyone").toString());
        awaitReplies(other, 1);

        assertThat(replies(telegram.calls("sendMessage"), chat)).hasSize(1);
        assertThat(outboxStates(chat)).containsExactly("SENT", "FAILED");
        assertThat(conversations.transcript(conversation)).filteredOn(m -> m.id().equals(waiting) || m.id().equals(later))
                .hasSize(2).allSatisfy(m -> {
                    assertThat(m.delivery()).isEqualTo(DeliveryState.FAILED);
                    assertThat(m.deliveryDetail()).isEqualTo("operator-blocked");
                });
    }

    @Test
    void keepsOrderPerChatUnderConcurrentUpdates() throws Exception {
        var chatA = newChat();
        var chatB = newChat();
        var sent = new ArrayList<java.util.concurrent.Future<Integer>>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 6; i++) {
                for (var chat : List.of(chatA, chatB)) {
                    var text = "m" + i;
                    sent.add(pool.submit(() -> post(BOT, SECRET, textUpdate(chat, text).toString()).statusCode()));
                }
            }
            for (var f : sent) {
                assertThat(f.get()).isEqualTo(200);
            }
        }
        for (var chat : List.of(chatA, chatB)) {
            var replies = awaitReplies(chat, 6).stream().map(c -> c.body().path("text").asString()).toList();
            var stored = storedOrder(chat);
            assertThat(stored).hasSize(6);
            assertThat(processedOrder(chat)).containsExactlyElementsOf(stored);
            assertThat(replies).containsExactlyElementsOf(stored.stream().map(t -> "echo: " + t).toList());
        }
    }

    @Test
    void registersWebhooksWithTheirSecretOnlyForHttpsAndOnlyForWebhookBots(@Autowired TelegramWebhooks webhooks) throws Exception {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> webhooks.register(URI.create("http://mirror.example"))))
                .isInstanceOf(IllegalArgumentException.class);

        var lines = webhooks.register(URI.create("https://mirror.example/"));

        assertThat(lines).containsExactly(BOT + ": webhook set", POLL_BOT + ": polling mode, no webhook");
        var call = telegram.calls("setWebhook").getLast();
        assertThat(call.body().path("url").asString()).isEqualTo("https://mirror.example/webhooks/telegram/" + BOT);
        assertThat(call.body().path("secret_token").asString()).isEqualTo(SECRET);
        assertThat(call.body().path("allowed_updates").toString()).contains("callback_query", "my_chat_member");
    }

    @Test
    void downloadsAPhotoAndKeepsItEncryptedOnTheMessage() throws Exception {
        var chat = newChat();
        var photo = new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x10, 0x20, 0x30, 'J', 'F', 'I', 'F'};
        var fileId = "AgACAgIAAxk" + chat;
        telegram.addFile(fileId, photo);
        var update = TelegramUpdatesTests.recent("photo");
        update.put("update_id", PrivateChatUpdates.nextUpdateId());
        var message = (ObjectNode) update.get("message");
        ((ObjectNode) message.get("chat")).put("id", chat);
        ((ObjectNode) message.get("photo").get(1)).put("file_id", fileId);

        post(BOT, SECRET, update.toString());

        var conversation = await().atMost(Duration.ofSeconds(20)).until(() -> conversationIfAny(chat),
                java.util.Optional::isPresent).orElseThrow();
        var photoMessage = await().atMost(Duration.ofSeconds(20)).until(() -> conversations.transcript(conversation).stream()
                .filter(m -> m.kind() == org.lifeline.conversations.MessageKind.PHOTO).findFirst(), java.util.Optional::isPresent).orElseThrow();
        var stored = await().atMost(Duration.ofSeconds(20)).until(() -> conversations.attachment(photoMessage.id()),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(stored.content()).isEqualTo(photo);
        assertThat(stored.mediaType()).isEqualTo("image/jpeg");
        assertThat(photoMessage.body()).contains("шрам").doesNotContain(fileId);
        var raw = jdbc.sql("select content_enc from message_attachment where message_id = ?").param(photoMessage.id().value())
                .query(byte[].class).single();
        assertThat(java.util.HexFormat.of().formatHex(raw)).doesNotContain(java.util.HexFormat.of().formatHex(photo));
    }

    @Test
    void marksTheContactUnreachableWhenHeBlocksTheBot() throws Exception {
        var chat = newChat();
        post(BOT, SECRET, textUpdate(chat, "hi").toString());
        awaitReplies(chat, 1);

        var kicked = TelegramUpdatesTests.recent("my-chat-member-kicked");
        kicked.put("update_id", PrivateChatUpdates.nextUpdateId());
        ((ObjectNode) kicked.get("my_chat_member").get("chat")).put("id", chat);
        post(BOT, SECRET, kicked.toString());

        var contact = conversations.findOrCreateContact("telegram", Long.toString(chat), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> conversations.contact(contact).reachability() == Reachability.UNREACHABLE);
    }

    @Test
    void dropsAFloodingSendersExcessWithoutProcessingIt() throws Exception {
        var chat = newChat();
        var started = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            assertThat(post(BOT, SECRET, textUpdate(chat, "flood " + i).toString()).statusCode()).isEqualTo(200);
        }
        // 20 a minute refill one every 3 s: on a slow machine the posts themselves may earn a few back
        var earned = (int) (Duration.ofNanos(System.nanoTime() - started).toMillis() / 3_000) + 1;
        var sender = updates().sender("endpoint = ? and idempotency_key = ?", BOT, Long.toString(lastUpdateIdFor));
        var states = updates().column("state", "sender_ref = ?", (Object) sender);

        assertThat(states).hasSize(25);
        var dropped = (int) states.stream().filter("DROPPED"::equals).count();
        assertThat(dropped).as("dropped beyond the 20 a minute, %d refilled while posting", earned - 1)
                .isBetween(Math.max(0, 5 - earned), 5);
        awaitReplies(chat, 25 - dropped);
        assertThat(telegram.delivered().stream().filter(c -> c.body().path("chat_id").asLong() == chat))
                .as("the dropped ones are never processed").hasSize(25 - dropped);
    }

    @Test
    void pollingBotTakesUpdatesThroughGetUpdatesAndAnswersThroughItsOwnBot() throws Exception {
        var chat = newChat();
        telegram.queueUpdate(textUpdate(chat, "via polling"));

        var reply = awaitReplies(chat, 1).getFirst();
        assertThat(reply.body().path("text").asString()).isEqualTo("echo: via polling");
        assertThat(jdbc.sql("select endpoint from inbound_update where sender_ref is not null and idempotency_key = ?")
                .param(Long.toString(lastUpdateIdFor)).query(String.class).single()).isEqualTo(POLL_BOT);
    }

    private long lastUpdateIdFor;

    private long newChat() {
        return chats.incrementAndGet();
    }

    private record Sent(long chat, String text) {
    }

    private final java.util.Map<Long, Sent> texts = new java.util.concurrent.ConcurrentHashMap<>();

    private ObjectNode textUpdate(long chat, String text) {
        var update = update(chat, json.createObjectNode().put("text", text).toString());
        texts.put(update.get("update_id").asLong(), new Sent(chat, text));
        return update;
    }

    private ObjectNode update(long chat, String messageFields) {
        var update = new PrivateChatUpdates(chat, "Тест", "ru").message(messageFields);
        lastUpdateIdFor = update.get("update_id").asLong();
        return update;
    }

    private HttpResponse<String> post(String bot, String secret, String body) throws Exception {
        return http.send(FakeTelegramBotApi.webhookDelivery(port, bot, secret, body), HttpResponse.BodyHandlers.ofString());
    }

    private List<FakeTelegramBotApi.Call> awaitReplies(long chat, int count) throws InterruptedException {
        assertThat(telegram.awaitCalls(calls -> replies(calls, chat).size() >= count, Duration.ofSeconds(20)))
                .as("%d replies in chat %d", count, chat).isTrue();
        return replies(telegram.calls("sendMessage"), chat);
    }

    private static List<FakeTelegramBotApi.Call> replies(List<FakeTelegramBotApi.Call> calls, long chat) {
        return calls.stream().filter(c -> c.method().equals("sendMessage") && c.status() == 200
                && c.body().path("chat_id").asLong() == chat).toList();
    }

    private long storedUpdates() {
        return updates().count("1 = 1");
    }

    /** The outbox states of the messages to this chat (through its conversation, as the recipient is stored keyed). */
    private List<String> outboxStates(long chat) {
        return conversationIfAny(chat).map(conversation -> jdbc.sql("""
                select o.state from outbox_message o join message m on m.id = o.message_id
                where m.conversation_id = ? order by o.id""").param(conversation.value()).query(String.class).list())
                .orElse(List.of());
    }

    /** The texts of a chat's updates in the order they were stored, which is the order they must be answered in. */
    private List<String> storedOrder(long chat) {
        var keys = texts.entrySet().stream().filter(e -> e.getValue().chat() == chat).map(e -> Long.toString(e.getKey())).toList();
        var inList = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
        var params = new java.util.ArrayList<Object>(List.of(BOT));
        params.addAll(keys);
        return updates().column("idempotency_key", "endpoint = ? and idempotency_key in (" + inList + ")", params.toArray())
                .stream().map(k -> texts.get(Long.parseLong(k)).text()).toList();
    }

    /** The texts recorded on the chat's conversation, in the order they were processed. */
    private List<String> processedOrder(long chat) {
        return conversations.transcript(conversationOf(chat)).stream()
                .filter(m -> m.direction() == Direction.INBOUND).map(MessageView::body).toList();
    }

    /** The chat's conversation as the channel created it; fails when there is none, rather than making one. */
    private ConversationId conversationOf(long chat) {
        return conversationIfAny(chat).orElseThrow(() -> new AssertionError("no conversation for the chat"));
    }

    private java.util.Optional<ConversationId> conversationIfAny(long chat) {
        return conversations.findContact("telegram", Long.toString(chat)).flatMap(conversations::latestConversation);
    }

}
