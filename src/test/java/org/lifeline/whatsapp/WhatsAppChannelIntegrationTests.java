package org.lifeline.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lifeline.whatsapp.FakeGraphApi.APP_SECRET;
import static org.lifeline.whatsapp.FakeGraphApi.VERIFY_TOKEN;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.MessageView;
import org.lifeline.console.web.TranscriptLine;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.UnsentBodies;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WhatsApp channel end to end over real HTTP: signed webhook deliveries in, through storage and processing,
 * replies out to a local fake of the Graph API that answers like the real one. The conversation driver here
 * echoes what it gets (and renders a few kinds of question on request), standing in for the flows.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {org.lifeline.LifelineApplication.class, WhatsAppChannelIntegrationTests.Echo.class})
class WhatsAppChannelIntegrationTests {

    @RegisterExtension
    static final FakeGraphApi graph = FakeGraphApi.start();
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void whatsappProperties(DynamicPropertyRegistry registry) {
        graph.register(registry);
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
                    case InboundEvent.TextReceived t when t.text().equals("list") -> gateway.send(t.conversation(),
                            new OutboundContent.Choices("Что вам нужно?", List.of(
                                    new OutboundContent.Choice("surrender", "Сдаться в плен"),
                                    new OutboundContent.Choice("family", "Ищу родственника"),
                                    new OutboundContent.Choice("information", "Что будет со мной в плену и после него"),
                                    new OutboundContent.Choice("person", "Написать человеку"))));
                    case InboundEvent.TextReceived t when t.text().equals("many") -> gateway.send(t.conversation(),
                            new OutboundContent.Choices("Сколько вас?", IntStream.rangeClosed(1, 11)
                                    .mapToObj(i -> new OutboundContent.Choice("n" + i, i + " чел.")).toList()));
                    case InboundEvent.TextReceived t when t.text().equals("where") -> gateway.send(t.conversation(),
                            new OutboundContent.LocationRequest("Где вы?", "📍"));
                    case InboundEvent.TextReceived t when t.text().equals("long choice") -> gateway.send(t.conversation(),
                            new OutboundContent.Choices(LONG_QUESTION, LONG_OPTIONS));
                    case InboundEvent.TextReceived t when t.text().equals("long where") -> gateway.send(t.conversation(),
                            new OutboundContent.LocationRequest(LONG_QUESTION, "📍"));
                    case InboundEvent.TextReceived t when t.text().equals("long labels") -> gateway.send(t.conversation(),
                            new OutboundContent.Choices("Что вам нужно?", LONG_OPTIONS.subList(0, 3)));
                    case InboundEvent.TextReceived t -> gateway.send(t.conversation(), new OutboundContent.Text("echo: " + t.text()));
                    case InboundEvent.ChoiceMade c -> gateway.send(c.conversation(), new OutboundContent.Text("chose " + c.choiceId()));
                    default -> gateway.send(event.conversation(), new OutboundContent.Text("got " + event.getClass().getSimpleName()));
                }
            };
        }
    }

    /**
     * A question of 10,781 characters in Russian and Korean (one UTF-16 unit each) whose last line, 4,031 of them,
     * fits one message only without what WhatsApp adds; twelve options of about 200 characters each: more than ten,
     * so numbered lines, 2,460 characters of them.
     */
    static final String LONG_QUESTION = ("Прочитайте внимательно. " + "가".repeat(20) + " ").repeat(150).strip()
            + "\n" + ("Оставайтесь на месте и ждите ответа оператора. ").repeat(84).strip();
    static final List<OutboundContent.Choice> LONG_OPTIONS = IntStream.rangeClosed(1, 12)
            .mapToObj(i -> new OutboundContent.Choice("o" + i, "Вариант " + i + ": " + "조선어로 말하는 사람이 필요합니다 ".repeat(10).strip()))
            .toList();

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
    WhatsAppAdapter adapter;

    @Autowired
    WhatsAppWindows windows;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersTheVerificationHandshakeAndRefusesAWrongToken() throws Exception {
        var accepted = handshake("subscribe", VERIFY_TOKEN, "1158201444");
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("1158201444");
        assertThat(accepted.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));

        assertThat(handshake("subscribe", "wrong-token", "1158201444").statusCode()).isEqualTo(403);
        assertThat(handshake("unsubscribe", VERIFY_TOKEN, "1158201444").statusCode()).isEqualTo(403);
        assertThat(handshake("subscribe", VERIFY_TOKEN, "<script>").statusCode()).isEqualTo(403);
    }

    @Test
    void refusesAWrongSignatureAndStoresNothing() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        var delivery = WhatsAppDeliveries.text(waId, "привет").toString();
        var before = stored();

        assertThat(post(delivery, "another-app-secret").statusCode()).isEqualTo(401);
        assertThat(post(delivery, null).statusCode()).isEqualTo(401);
        var tampered = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/whatsapp"))
                .header("X-Hub-Signature-256", FakeGraphApi.signature(APP_SECRET, delivery.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.replace("привет", "пока"))).build();
        assertThat(http.send(tampered, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        var wamid = WhatsAppDeliveries.newWamid(waId);
        assertThat(post(WhatsAppDeliveries.status(wamid, "read", waId, null).toString(), "another-app-secret").statusCode())
                .isEqualTo(401);

        assertThat(stored()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from whatsapp_report where wamid_ref = ?").param(adapter.ref(wamid))
                .query(Long.class).single()).isZero();
        assertThat(conversations.findContact("whatsapp", waId)).isEmpty();
    }

    @Test
    void refusesADeliveryWithoutASignatureBeforeReadingItsBodyAndAnOversizedSignedOneWith413() throws Exception {
        // no header, or one no body could match: refused at once, however large the body announced
        for (var header : List.of("Content-Type: application/json", "X-Hub-Signature-256: sha256=zz",
                "X-Hub-Signature-256: " + "0".repeat(64))) {
            var head = UnsentBodies.answerHead(port, "POST", "/webhooks/whatsapp", List.of(header),
                    WhatsAppIntake.MAX_DELIVERY_BYTES + 1000L, "{\"object\":");

            assertThat(head.getFirst()).as(header).startsWith("http/1.1 401");
            assertThat(head).as(header).contains("connection: close");
        }

        // a signature of the right form is checked on the body, which must fit the limit to be read
        var before = stored();
        var oversized = WhatsAppDeliveries.text(WhatsAppDeliveries.newWaId(), "ж".repeat(WhatsAppIntake.MAX_DELIVERY_BYTES / 2))
                .toString();
        assertThat(post(oversized, APP_SECRET).statusCode()).isEqualTo(413);
        assertThat(post(oversized, "another-app-secret").statusCode()).isEqualTo(413);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void storesAMessageWhoseTimeNoClockShowsAndAnswersItsDelivery() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        var delivery = WhatsAppDeliveries.text(waId, "который час?").toString()
                .replaceFirst("\"timestamp\":\"[0-9]+\"", "\"timestamp\":\"99999999999999999\"");
        assertThat(delivery).contains("99999999999999999");
        var before = storedUpdates();

        assertThat(post(delivery, APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(storedUpdates()).isEqualTo(before + 1);
        assertThat(post(WhatsAppDeliveries.text(waId, "алло").toString(), APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(storedUpdates()).isEqualTo(before + 2);
    }

    @Test
    void answersMalformedDeliveriesWith400() throws Exception {
        var before = stored();
        assertThat(post("{\"object\":", APP_SECRET).statusCode()).isEqualTo(400);
        assertThat(post("{\"object\":\"page\",\"entry\":[]}", APP_SECRET).statusCode()).isEqualTo(400);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void refusesASignedDeliveryGivingAKeyTwiceWith400AndStoresNothing() throws Exception {
        // Meta's signature holds, but a key given twice is read as its last value here and may be read otherwise
        // elsewhere: refused as any malformed delivery is
        var before = stored();
        var updatesBefore = storedUpdates();
        var waId = WhatsAppDeliveries.newWaId();
        var delivery = WhatsAppDeliveries.text(waId, "first").toString();
        var twiceAtTop = delivery.replaceFirst("\\{", "{\"object\":\"whatsapp_business_account\",");
        var twiceInTheMessage = delivery.replace("\"body\":\"first\"", "\"body\":\"first\",\"body\":\"second\"");
        assertThat(twiceAtTop).isNotEqualTo(delivery);
        assertThat(twiceInTheMessage).isNotEqualTo(delivery);

        assertThat(post(twiceAtTop, APP_SECRET).statusCode()).isEqualTo(400);
        assertThat(post(twiceInTheMessage, APP_SECRET).statusCode()).isEqualTo(400);
        assertThat(stored()).isEqualTo(before);
        assertThat(conversations.findContact("whatsapp", waId)).isEmpty();
        assertThat(post(delivery, APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(storedUpdates()).isEqualTo(updatesBefore + 1);
        assertThat(awaitSent(waId, 1).getFirst().body().path("text").path("body").asString()).isEqualTo("echo: first");
    }

    @Test
    void storesEveryDocumentedMessageTypeBeforeAnsweringAndIgnoresReactionsAndUnknownTypes() throws Exception {
        for (var sample : List.of("text", "interactive-button-reply", "interactive-list-reply", "location", "contacts",
                "image", "audio-voice", "reaction", "unsupported")) {
            var before = storedUpdates();
            var response = post(WhatsAppDeliveries.message(sample, WhatsAppDeliveries.newWaId(), m -> {
            }).toString(), APP_SECRET);

            assertThat(response.statusCode()).as(sample).isEqualTo(200);
            assertThat(storedUpdates()).as(sample + " stored before 200").isEqualTo(before + 1);
        }
    }

    @Test
    void takesEveryMessageOfABatchWithSeveralEntriesAndChanges() throws Exception {
        var first = WhatsAppDeliveries.newWaId();
        var second = WhatsAppDeliveries.newWaId();
        var third = WhatsAppDeliveries.newWaId();
        var batch = WhatsAppPayloadsTests.sample("batch").toString()
                .replace("16505551234", first).replace("16505559876", second).replace("16505554321", third)
                .replace("3QjAwMDAwMDAwMDAwMDAwMDAw", "3QjAw" + Instant.now().toEpochMilli())
                .replaceAll("\"timestamp\":\"17494163\\d\\d\"", "\"timestamp\":\"" + Instant.now().getEpochSecond() + "\"");
        var before = storedUpdates();

        assertThat(post(batch, APP_SECRET).statusCode()).isEqualTo(200);

        assertThat(storedUpdates()).as("three messages of our number, none of the other").isEqualTo(before + 3);
        assertThat(awaitSent(first, 1).getFirst().body().path("text").path("body").asString()).isEqualTo("echo: Привет");
        assertThat(awaitSent(second, 1).getFirst().body().path("text").path("body").asString()).isEqualTo("echo: 도와주십시오");
        assertThat(awaitSent(third, 1)).hasSize(1);
        assertThat(conversations.conversation(conversationOf(second)).language()).isEqualTo("ko");
        assertThat(conversations.conversation(conversationOf(third)).language()).isEqualTo("uk");
        assertThat(conversations.conversation(conversationOf(first)).language()).isEqualTo("ru");
    }

    @Test
    void aRedeliveredMessageIsAnsweredOnce() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        var delivery = WhatsAppDeliveries.text(waId, "один раз").toString();

        assertThat(post(delivery, APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(post(delivery, APP_SECRET).statusCode()).isEqualTo(200);
        awaitSent(waId, 1);
        // later messages are answered only after everything before them: once this one's reply is there, a second
        // reply to the redelivery would have been sent already
        post(WhatsAppDeliveries.text(waId, "потом").toString(), APP_SECRET);
        var replies = awaitSent(waId, 2);

        assertThat(replies).extracting(c -> c.body().path("text").path("body").asString())
                .containsExactly("echo: один раз", "echo: потом");
        assertThat(conversations.transcript(conversationOf(waId))).filteredOn(m -> m.direction() == Direction.INBOUND)
                .hasSize(2);
    }

    @Test
    void aMessageOrStatusOlderThanItsDuplicateIsRememberedIsAcknowledgedButNeitherStoredNorProcessed() throws Exception {
        // Meta signs the body, not when it was sent: a delivery captured and sent again after its message's row is
        // gone (inbound-updates, 7 days) would be taken as new. What is dated longer ago, less a day, is let go
        var waId = WhatsAppDeliveries.newWaId();
        var now = Instant.now();
        var before = stored();
        var updatesBefore = storedUpdates();
        for (var age : List.of(Duration.ofDays(8), Duration.ofDays(6).plusHours(1))) {
            var old = WhatsAppDeliveries.message("text", waId,
                    m -> m.put("timestamp", Long.toString(now.minus(age).getEpochSecond())));
            assertThat(post(old.toString(), APP_SECRET).statusCode()).as("%s old", age).isEqualTo(200);
        }
        var wamid = WhatsAppDeliveries.newWamid(waId);
        var oldStatus = WhatsAppDeliveries.status(wamid, "failed", waId, 131047, now.minus(Duration.ofDays(7)));
        assertThat(post(oldStatus.toString(), APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(stored()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from whatsapp_report where wamid_ref = ?").param(adapter.ref(wamid))
                .query(Long.class).single()).isZero();

        // a day late is taken, as a status of the same age is kept
        var dayOld = WhatsAppDeliveries.message("text", waId, m -> m.put("timestamp",
                Long.toString(now.minus(Duration.ofHours(25)).getEpochSecond())).putObject("text").put("body", "вчера"));
        assertThat(post(dayOld.toString(), APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(storedUpdates()).isEqualTo(updatesBefore + 1);
        // answered (by the template: his window of a day has closed), and the old ones were not taken before it
        assertThat(awaitSent(waId, 1)).hasSize(1);
        assertThat(conversations.transcript(conversationOf(waId))).filteredOn(m -> m.direction() == Direction.INBOUND)
                .hasSize(1);
        var dayOldStatus = WhatsAppDeliveries.status(wamid, "failed", waId, 131047, now.minus(Duration.ofHours(25)));
        assertThat(post(dayOldStatus.toString(), APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from whatsapp_report where wamid_ref = ?").param(adapter.ref(wamid))
                .query(Long.class).single()).isOne();
    }

    @Test
    void theFirstMessagesLettersDecideTheLanguageAndLaterOnesDoNotChangeIt() throws Exception {
        var korean = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(korean, "살고 싶습니다").toString(), APP_SECRET);
        awaitSent(korean, 1);
        post(WhatsAppDeliveries.text(korean, "да").toString(), APP_SECRET);
        awaitSent(korean, 2);
        assertThat(conversations.conversation(conversationOf(korean)).language()).isEqualTo("ko");

        var latin = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(latin, "hello").toString(), APP_SECRET);
        awaitSent(latin, 1);
        assertThat(conversations.conversation(conversationOf(latin)).language()).isEqualTo("en");
    }

    @Test
    void rendersButtonsAListNumberedLinesAndLocationInstructions() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(waId, "Здравствуйте").toString(), APP_SECRET);
        for (var ask : List.of("buttons", "list", "many", "where")) {
            post(WhatsAppDeliveries.text(waId, ask).toString(), APP_SECRET);
        }
        var sent = awaitSent(waId, 5).subList(1, 5);

        var buttons = sent.get(0).body().path("interactive");
        assertThat(buttons.path("type").asString()).isEqualTo("button");
        assertThat(buttons.path("body").path("text").asString()).isEqualTo("Вы в безопасности?");
        assertThat(buttons.path("action").path("buttons").get(1).path("reply").path("id").asString()).isEqualTo("no");
        assertThat(buttons.path("action").path("buttons").get(1).path("reply").path("title").asString()).isEqualTo("Нет");

        var list = sent.get(1).body().path("interactive");
        assertThat(list.path("type").asString()).isEqualTo("list");
        assertThat(list.path("action").path("button").asString()).isEqualTo("Выбрать");
        var rows = list.path("action").path("sections").get(0).path("rows");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(2).path("id").asString()).isEqualTo("information");
        assertThat(rows.get(2).path("title").asString()).isEqualTo("Что будет со мной в…");
        assertThat(rows.get(2).path("description").asString()).isEqualTo("Что будет со мной в плену и после него");

        var many = sent.get(2).body();
        assertThat(many.path("type").asString()).isEqualTo("text");
        assertThat(many.path("text").path("body").asString()).startsWith("Сколько вас?\n\n1. 1 чел.\n2. 2 чел.").endsWith("11. 11 чел.");

        var where = sent.get(3).body().path("text").path("body").asString();
        assertThat(where).startsWith("Где вы?\n\n").contains("📎").contains("Местоположение");
        // the fake refuses what the Cloud API would refuse: every one of them was accepted
        assertThat(graph.calls()).filteredOn(c -> c.body() != null && waId.equals(c.body().path("to").asString()))
                .allMatch(c -> c.status() == 200);
    }

    @Test
    void whatItAddsToALongTextGoesWholeWithEveryPartWithinTheLimit() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(waId, "Здравствуйте").toString(), APP_SECRET);
        awaitSent(waId, 1);

        post(WhatsAppDeliveries.text(waId, "long choice").toString(), APP_SECRET);
        var choice = bodiesAfter(waId, 1);
        assertThat(choice).allSatisfy(body -> assertThat(body.codePointCount(0, body.length())).isBetween(1, 4096));
        var choiceText = String.join("\n", choice);
        assertThat(squeezed(choiceText)).startsWith(squeezed(LONG_QUESTION));
        for (var i = 0; i < LONG_OPTIONS.size(); i++) {
            assertThat(choiceText.contains((i + 1) + ". " + LONG_OPTIONS.get(i).label())).as("option %d whole", i + 1)
                    .isTrue();
        }

        post(WhatsAppDeliveries.text(waId, "long where").toString(), APP_SECRET);
        var where = bodiesAfter(waId, choice.size() + 2);
        assertThat(where).allSatisfy(body -> assertThat(body.codePointCount(0, body.length())).isBetween(1, 4096));
        assertThat(squeezed(String.join("\n", where))).startsWith(squeezed(LONG_QUESTION))
                .endsWith(squeezed(WhatsAppTexts.locationInstructions("ru")));

        // the fake refuses what the Cloud API would refuse: every part was accepted
        assertThat(graph.calls()).filteredOn(c -> c.body() != null && waId.equals(c.body().path("to").asString()))
                .allMatch(c -> c.status() == 200);
    }

    @Test
    void aListShowsEveryLabelWholeOrTheChoicesGoAsNumberedLines() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(waId, "Здравствуйте").toString(), APP_SECRET);
        awaitSent(waId, 1);

        post(WhatsAppDeliveries.text(waId, "long labels").toString(), APP_SECRET);

        var sent = awaitSent(waId, 2).get(1).body();
        assertThat(sent.path("type").asString()).isEqualTo("text");
        var text = sent.path("text").path("body").asString();
        assertThat(text).startsWith("Что вам нужно?\n\n1. ");
        for (var i = 0; i < 3; i++) {
            assertThat(text).contains((i + 1) + ". " + LONG_OPTIONS.get(i).label());
        }
    }

    /** The text bodies sent to him after the first {@code skip}, once no more come for this question. */
    private List<String> bodiesAfter(String waId, int skip) throws Exception {
        // the parts of one question go in order, and the echo's answer to a marker after them comes last
        post(WhatsAppDeliveries.text(waId, "marker " + skip).toString(), APP_SECRET);
        assertThat(graph.awaitCalls(calls -> graph.sentTo(waId).stream()
                .anyMatch(c -> c.body().path("text").path("body").asString("").equals("echo: marker " + skip)), DEADLINE))
                .isTrue();
        var bodies = graph.sentTo(waId).stream().skip(skip).map(c -> c.body().path("text").path("body").asString(""))
                .toList();
        assertThat(bodies.getLast()).isEqualTo("echo: marker " + skip);
        return bodies.subList(0, bodies.size() - 1);
    }

    /** The text with every run of white space as one space: parts are cut at line breaks and spaces. */
    private static String squeezed(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    @Test
    void statusesAreRecordedOnTheOutboundMessage() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(waId, "статус").toString(), APP_SECRET);
        var wamid = awaitSent(waId, 1).getFirst().wamid();
        await().atMost(DEADLINE).until(() -> lastOutbound(waId).delivery() == DeliveryState.SENT);

        assertThat(post(WhatsAppDeliveries.status(wamid, "sent", waId, null).toString(), APP_SECRET).statusCode()).isEqualTo(200);
        assertThat(post(WhatsAppDeliveries.status(wamid, "delivered", waId, null).toString(), APP_SECRET).statusCode()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> lastOutbound(waId).delivery() == DeliveryState.DELIVERED);
        post(WhatsAppDeliveries.status(wamid, "read", waId, null).toString(), APP_SECRET);
        await().atMost(DEADLINE).until(() -> "whatsapp.read".equals(lastOutbound(waId).deliveryDetail()));
        // a report about a message that is not ours is taken and changes nothing
        assertThat(post(WhatsAppDeliveries.status(WhatsAppDeliveries.newWamid(waId), "delivered", waId, null).toString(),
                APP_SECRET).statusCode()).isEqualTo(200);

        var failing = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(failing, "не дойдёт").toString(), APP_SECRET);
        var lost = awaitSent(failing, 1).getFirst().wamid();
        await().atMost(DEADLINE).until(() -> lastOutbound(failing).delivery() == DeliveryState.SENT);
        post(WhatsAppDeliveries.status(lost, "failed", failing, 131026).toString(), APP_SECRET);
        await().atMost(DEADLINE).until(() -> lastOutbound(failing).delivery() == DeliveryState.FAILED);
        assertThat(lastOutbound(failing).deliveryDetail()).isEqualTo("whatsapp.131026");
    }

    @Test
    void outsideTheServiceWindowOnlyTheLanguagesTemplateGoes() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        var yesterday = WhatsAppDeliveries.text(waId, "вы здесь?");
        ((ObjectNode) yesterday.path("entry").path(0).path("changes").path(0).path("value").path("messages").path(0))
                .put("timestamp", Long.toString(Instant.now().minus(Duration.ofHours(25)).getEpochSecond()));

        post(yesterday.toString(), APP_SECRET);

        var sent = awaitSent(waId, 1).getFirst().body();
        assertThat(sent.path("type").asString()).isEqualTo("template");
        assertThat(sent.path("template").path("name").asString()).isEqualTo("lifeline_reply_ru");
        assertThat(sent.path("template").path("language").path("code").asString()).isEqualTo("ru");
        await().atMost(DEADLINE).until(() -> "whatsapp.template".equals(lastOutbound(waId).deliveryDetail()));
        assertThat(lastOutbound(waId).body()).isEqualTo("echo: вы здесь?");
        assertThat(graph.sentTo(waId)).hasSize(1);
    }

    @Test
    void closedWindowsAreForgottenAndOpenOnesKept() throws Exception {
        var old = WhatsAppDeliveries.newWaId();
        var yesterday = WhatsAppDeliveries.text(old, "давно");
        ((ObjectNode) yesterday.path("entry").path(0).path("changes").path(0).path("value").path("messages").path(0))
                .put("timestamp", Long.toString(Instant.now().minus(Duration.ofHours(25)).getEpochSecond()));
        var recent = WhatsAppDeliveries.newWaId();
        post(yesterday.toString(), APP_SECRET);
        post(WhatsAppDeliveries.text(recent, "сейчас").toString(), APP_SECRET);
        awaitSent(old, 1);
        awaitSent(recent, 1);
        assertThat(windowRows(old)).isOne();

        windows.purgeClosed();

        assertThat(windowRows(old)).isZero();
        assertThat(windowRows(recent)).isOne();
    }

    private long windowRows(String waId) {
        return jdbc.sql("select count(*) from whatsapp_window where contact_ref = ?")
                .param(windows.contactRef(FakeGraphApi.NUMBER_ID, waId)).query(Long.class).single();
    }

    @Test
    void aReEngagementFailureClosesTheWindowAndSendsTheTemplate() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        post(WhatsAppDeliveries.text(waId, "살려주십시오").toString(), APP_SECRET);
        var wamid = awaitSent(waId, 1).getFirst().wamid();
        await().atMost(DEADLINE).until(() -> lastOutbound(waId).delivery() == DeliveryState.SENT);

        post(WhatsAppDeliveries.status(wamid, "failed", waId, 131047).toString(), APP_SECRET);

        var template = awaitSent(waId, 2).get(1).body();
        assertThat(template.path("type").asString()).isEqualTo("template");
        assertThat(template.path("template").path("name").asString()).isEqualTo("lifeline_reply_ko");
        var outbound = conversations.transcript(conversationOf(waId)).stream()
                .filter(m -> m.direction() == Direction.OUTBOUND).toList();
        assertThat(outbound.getFirst().delivery()).isEqualTo(DeliveryState.FAILED);
        assertThat(outbound.getFirst().deliveryDetail()).isEqualTo("whatsapp.131047");
        await().atMost(DEADLINE).until(() -> "whatsapp.template".equals(lastOutbound(waId).deliveryDetail()));
    }

    @Test
    void aReEngagementRefusalWhenSendingSendsTheTemplateAtOnce() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        graph.failNext(waId, 400, 131047);

        post(WhatsAppDeliveries.text(waId, "Шукаю сина, допоможіть").toString(), APP_SECRET);

        var sent = awaitSent(waId, 1).getFirst().body();
        assertThat(sent.path("type").asString()).isEqualTo("template");
        // no Ukrainian template is configured: the default language's goes
        assertThat(sent.path("template").path("name").asString()).isEqualTo("lifeline_reply_en");
        assertThat(sent.path("template").path("language").path("code").asString()).isEqualTo("en_US");
        await().atMost(DEADLINE).until(() -> "whatsapp.template".equals(lastOutbound(waId).deliveryDetail()));
        assertThat(lastOutbound(waId).delivery()).isEqualTo(DeliveryState.SENT);
    }

    @Test
    void aRateLimitedSendIsRetriedLater() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        graph.failNext(waId, 429, 130429);

        post(WhatsAppDeliveries.text(waId, "лимит").toString(), APP_SECRET);

        var sent = awaitSent(waId, 1).getFirst();
        var attempts = graph.calls().stream().filter(c -> c.body() != null && waId.equals(c.body().path("to").asString())).toList();
        assertThat(attempts).extracting(FakeGraphApi.Call::status).containsExactly(429, 200);
        assertThat(Duration.between(attempts.get(0).at(), sent.at())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        await().atMost(DEADLINE).until(() -> lastOutbound(waId).delivery() == DeliveryState.SENT);
    }

    @Test
    void aFinalErrorIsShownOnTheConversationAndNotRetried() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        graph.failNext(waId, 400, 131026);

        post(WhatsAppDeliveries.text(waId, "не дойдёт").toString(), APP_SECRET);

        await().atMost(DEADLINE).until(() -> conversations.findContact("whatsapp", waId).isPresent()
                && !conversations.transcript(conversationOf(waId)).stream().filter(m -> m.direction() == Direction.OUTBOUND).toList().isEmpty()
                && lastOutbound(waId).delivery() == DeliveryState.FAILED);
        assertThat(lastOutbound(waId).deliveryDetail()).isEqualTo("whatsapp.131026");
        assertThat(graph.calls()).filteredOn(c -> c.body() != null && waId.equals(c.body().path("to").asString())).hasSize(1);
    }

    @Test
    void listRowsButtonsLocationsAndContactCardsAreStoredByKindAndShownFromItInTheConsole(
            @Autowired TranscriptLine console) throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        for (var name : List.of("interactive-list-reply", "interactive-button-reply", "location", "contacts")) {
            post(WhatsAppDeliveries.message(name, waId, m -> { }).toString(), APP_SECRET);
        }
        awaitSent(waId, 4);

        var inbound = conversations.transcript(conversationOf(waId)).stream()
                .filter(m -> m.direction() == Direction.INBOUND).map(MessageView::content).toList();
        assertThat(inbound).containsExactly(new MessageContent.Choice("family"), new MessageContent.Choice("surrender"),
                new MessageContent.Location(48.0159, 37.8029), new MessageContent.ContactCard("+1 (650) 555-5678"));
        assertThat(inbound).extracting(c -> console.line(c, java.util.Locale.ENGLISH)).containsExactly(
                "Chose: family", "Chose: surrender", "Shared a location: 48.015900, 37.802900",
                "Shared a contact card: +1 (650) 555-5678");
    }

    @Test
    void photosAndVoiceNotesAreFetchedThroughTheMediaApiAndKeptEncrypted() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        var photo = "jpeg bytes of a photo".getBytes(StandardCharsets.UTF_8);
        var voice = "ogg bytes of a voice note".getBytes(StandardCharsets.UTF_8);
        var photoId = Long.toString(1_000_000_000_000L + System.nanoTime() % 1_000_000_000L);
        var voiceId = photoId + "7";
        graph.addMedia(photoId, "image/jpeg", photo);
        graph.addMedia(voiceId, "audio/ogg; codecs=opus", voice);

        post(WhatsAppDeliveries.message("image", waId, m -> ((ObjectNode) m.path("image")).put("id", photoId)).toString(), APP_SECRET);
        post(WhatsAppDeliveries.message("audio-voice", waId, m -> ((ObjectNode) m.path("audio")).put("id", voiceId)).toString(), APP_SECRET);
        awaitSent(waId, 2);

        var inbound = conversations.transcript(conversationOf(waId)).stream().filter(m -> m.direction() == Direction.INBOUND).toList();
        assertThat(inbound).extracting(MessageView::content).containsExactly(new MessageContent.Photo("Это мой брат"),
                new MessageContent.Voice());
        await().atMost(DEADLINE).until(() -> conversations.attachment(inbound.get(1).id()).isPresent());
        await().atMost(DEADLINE).until(() -> conversations.attachment(inbound.get(0).id()).isPresent());
        assertThat(conversations.attachment(inbound.get(0).id()).orElseThrow().content()).isEqualTo(photo);
        assertThat(conversations.attachment(inbound.get(0).id()).orElseThrow().mediaType()).isEqualTo("image/jpeg");
        assertThat(conversations.attachment(inbound.get(1).id()).orElseThrow().content()).isEqualTo(voice);
        assertThat(conversations.attachment(inbound.get(1).id()).orElseThrow().mediaType()).isEqualTo("audio/ogg");
    }

    @Test
    void keepsNeitherPhoneNumbersNorMessageIdsInPlainText() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        var delivery = WhatsAppDeliveries.text(waId, "где мой номер?");
        post(delivery.toString(), APP_SECRET);
        var wamid = awaitSent(waId, 1).getFirst().wamid();
        post(WhatsAppDeliveries.status(wamid, "delivered", waId, null).toString(), APP_SECRET);
        await().atMost(DEADLINE).until(() -> lastOutbound(waId).delivery() == DeliveryState.DELIVERED);

        // a wamid encodes the number in base64, so neither may be kept as they are
        var encoded = java.util.Base64.getEncoder().encodeToString(waId.getBytes(StandardCharsets.US_ASCII));
        for (var needle : List.of(waId, encoded, "wamid")) {
            assertThat(updates().count("idempotency_key like ?", "%" + needle + "%")).isZero();
            assertThat(jdbc.sql("select count(*) from message where conversation_id = ? and channel_message_id like ?")
                    .params(conversationOf(waId).value(), "%" + needle + "%").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("select count(*) from whatsapp_report where wamid_ref like ?").param("%" + needle + "%")
                    .query(Long.class).single()).isZero();
        }
        assertThat(conversations.transcript(conversationOf(waId))).extracting(MessageView::channelMessageId).doesNotContainNull();
    }

    private HttpResponse<String> handshake(String mode, String token, String challenge) throws Exception {
        var query = "hub.mode=" + enc(mode) + "&hub.verify_token=" + enc(token) + "&hub.challenge=" + enc(challenge);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/whatsapp?" + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(String body, String appSecret) throws Exception {
        return http.send(FakeGraphApi.delivery(port, appSecret, body), HttpResponse.BodyHandlers.ofString());
    }

    private long storedUpdates() {
        return updates().count("channel = 'whatsapp'");
    }

    private long stored() {
        return storedUpdates() + jdbc.sql("select count(*) from whatsapp_window").query(Long.class).single();
    }

    private List<FakeGraphApi.Call> awaitSent(String waId, int count) throws InterruptedException {
        assertThat(graph.awaitCalls(calls -> graph.sentTo(waId).size() >= count, DEADLINE))
                .as("%d messages to the contact", count).isTrue();
        return graph.sentTo(waId);
    }

    private org.lifeline.conversations.ConversationId conversationOf(String waId) {
        var contact = conversations.findContact("whatsapp", waId).orElseThrow();
        return conversations.latestConversation(contact).orElseThrow();
    }

    private MessageView lastOutbound(String waId) {
        return conversations.transcript(conversationOf(waId)).stream()
                .filter(m -> m.direction() == Direction.OUTBOUND).reduce((a, b) -> b).orElseThrow();
    }
}
