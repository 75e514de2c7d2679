package org.lifeline.webchat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.Direction;
import org.lifeline.flows.VerifyAnswers;
import org.lifeline.testing.DatabaseRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The web chat over real HTTP, as a browser without JavaScript uses it. */
@WebChatTest
@ExtendWith(OutputCaptureExtension.class)
class WebChatIntegrationTests {

    static final String SCRIPTED_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'";
    static final List<String> RESOURCE_ATTRIBUTES = List.of("src", "srcset", "href", "action", "formaction", "poster",
            "data", "background", "manifest", "icon", "ping");

    @LocalServerPort
    int port;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ChannelGateway gateway;

    @Autowired
    WebChat chat;

    @Autowired
    org.lifeline.site.ChannelList channelList;

    @Autowired
    WebChatSettings settings;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void startsWithASumAndAnswersWithTheMenuInTheSessionCookieOnly() {
        var client = new ChatClient(port, "en");
        var start = client.page();
        assertThat(start.getElementById("codename").text().split(" ")).hasSize(Codenames.WORDS);
        assertThat(client.last.headers().allValues("Set-Cookie")).isEmpty();

        client.start();
        var cookies = client.last.headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(1);
        assertThat(cookies.getFirst()).startsWith(WebChatTestSupport.COOKIE + "=").contains("Path=/en/chat", "HttpOnly",
                "SameSite=Strict").doesNotContain("Secure", "Max-Age", "Expires");
        assertThat(client.last.headers().firstValue("Location")).hasValue("chat#latest");

        var page = client.page();
        assertThat(page.select(".transcript .ours").text()).contains("What do you need?");
        assertThat(page.select("form.options button[name=choice]")).hasSize(4);
        assertThat(page.select(".transcript .mine")).as("the technical start is not shown").isEmpty();
    }

    @Test
    void aPressedChoiceIsStoredByItsKindAndIdAndShownAsTheLabelHePressed() {
        var client = new ChatClient(port, "en");
        client.start();
        var page = client.page();
        var button = page.select("form.options button[name=choice]").first();
        client.choose(page, 0);

        var conversation = conversationOf(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> conversations.transcript(conversation).stream()
                .anyMatch(m -> m.kind() == org.lifeline.conversations.MessageKind.CHOICE));
        var inbound = conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.INBOUND)
                .toList();
        assertThat(inbound).extracting(org.lifeline.conversations.MessageView::kind).containsExactly(
                org.lifeline.conversations.MessageKind.START, org.lifeline.conversations.MessageKind.CHOICE);
        assertThat(inbound.getLast().content()).isEqualTo(new org.lifeline.conversations.MessageContent.Choice(button.val()));
        assertThat(client.page().select(".transcript .mine .said").eachText()).containsExactly(button.text());
    }

    @Test
    void verifyAnswersInThePagesLanguageWithExactlyTheSignedChannelsAndTheMenuStaysPressable() throws Exception {
        var client = new ChatClient(port, "uk");
        client.start();

        assertThat(client.say(client.page(), "/verify").statusCode()).isEqualTo(303);

        var answer = await().atMost(Duration.ofSeconds(10)).until(() -> client.page().select(".transcript .ours .said")
                .stream().map(org.jsoup.nodes.Element::wholeText)
                .filter(text -> text.startsWith(VerifyAnswers.heading("uk"))).findFirst(), java.util.Optional::isPresent).get();
        VerifyAnswers.assertListsExactlyTheSignedChannels(answer, channelList);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.page().select("form.options button[name=choice]").size() == 4);
    }

    @Test
    void marksTheCookieSecureBehindTls() {
        var client = new ChatClient(port, "ru").header("X-Forwarded-Proto", "https");
        client.start();
        assertThat(client.last.headers().firstValue("Set-Cookie")).get().asString().contains("Secure", "Path=/ru/chat");
    }

    @Test
    void storesADoubleSubmittedMessageOnce() {
        var client = new ChatClient(port, "en");
        client.start();
        var page = client.page();
        assertThat(client.say(page, "first time").statusCode()).isEqualTo(303);
        assertThat(client.say(page, "first time").statusCode()).as("the same form again").isEqualTo(303);

        var conversation = conversationOf(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbound(conversation).contains("first time"));
        assertThat(inbound(conversation)).filteredOn("first time"::equals).hasSize(1);
        assertThat(client.page().select(".transcript .mine").eachText()).filteredOn(t -> t.contains("first time")).hasSize(1);
    }

    @Test
    void refusesAMessageTooLongAndShowsBackNoMoreThanAMessageHolds() {
        var client = new ChatClient(port, "en");
        client.start();
        var tooLong = "🙂".repeat(50_000);

        var response = client.say(client.page(), tooLong);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body().length()).as("the page, characters").isLessThan(30 * 1024);
        var kept = Jsoup.parse(response.body()).getElementById("text").text();
        assertThat(kept.length()).isBetween(settings.maxMessageLength() - 1, settings.maxMessageLength());
        assertThat(tooLong).startsWith(kept);
        assertThat(kept.codePoints().allMatch(point -> point == "🙂".codePointAt(0))).as("no half of a character").isTrue();
    }

    @Test
    void answersTooManyPostsWithAClearPageAndLosesNothingStored() {
        var client = new ChatClient(port, "ru");
        client.start();
        var sent = new ArrayList<String>();
        java.net.http.HttpResponse<String> refused = null;
        // the bucket refills while posts are answered, so a few more than the limit may pass
        // without the page's work: its smaller limit
        for (int i = 1; refused == null && i <= 2 * settings.plainPostsPerSessionPerMinute(); i++) {
            var text = "сообщение " + i;
            var response = client.say(client.page(), text);
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                assertThat(response.statusCode()).as(text).isEqualTo(303);
                sent.add(text);
            }
        }

        assertThat(refused).as("refused within twice the limit").isNotNull();
        assertThat(sent).hasSizeGreaterThanOrEqualTo(settings.plainPostsPerSessionPerMinute());
        assertThat(refused.headers().firstValue("Retry-After")).get().asString().matches("[1-9][0-9]*");
        var page = Jsoup.parse(refused.body());
        assertThat(page.select(".notice").text()).contains("слишком часто");
        var refusedText = "сообщение " + (sent.size() + 1);
        assertThat(page.getElementById("text").text()).as("what he typed is kept").isEqualTo(refusedText);
        var conversation = conversationOf(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbound(conversation).containsAll(sent));
        assertThat(inbound(conversation)).doesNotContain(refusedText);
    }

    @Test
    void refusesFormsPostedFromAnotherSite() {
        var client = new ChatClient(port, "en");
        var codename = client.start();
        var page = client.page();

        var forged = new ChatClient(port, "en").header("Sec-Fetch-Site", "cross-site");
        assertThat(forged.resume(codename).statusCode()).isEqualTo(403);
        assertThat(forged.last.headers().allValues("Set-Cookie")).isEmpty();
        var fields = ChatClient.fields(page.getElementById("latest"));
        fields.put("text", "sent from elsewhere");
        assertThat(new ChatClient(port, "en").header("Sec-Fetch-Site", "same-site")
                .header("Cookie", WebChatTestSupport.COOKIE + "=" + client.token()).post(fields).statusCode()).isEqualTo(403);
        assertThat(client.say(page, "sent from the page").statusCode()).isEqualTo(303);
        var conversation = conversationOf(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbound(conversation).contains("sent from the page"));
        assertThat(inbound(conversation)).doesNotContain("sent from elsewhere");
    }

    @Test
    void resumesByCodenameFromAnotherDeviceButNotByAGuess() {
        var first = new ChatClient(port, "en");
        var codename = first.begin();
        first.say(first.page(), "remember me");

        var other = new ChatClient(port, "en");
        assertThat(other.resume("abandon ability able about above").statusCode()).isEqualTo(422);
        assertThat(other.resume("  " + codename.toUpperCase(Locale.ROOT).replace(" ", " ,  ") + " ").statusCode())
                .as("typed loosely").isEqualTo(303);
        assertThat(other.page().select(".transcript .mine").text()).contains("remember me");
    }

    @Test
    void aResumeChallengeSpentOnAGuessGuessesNoMoreAndOneThatFoundAChatOpensOnlyThatChat() {
        var first = new ChatClient(port, "en");
        var codename = first.begin();
        first.say(first.page(), "remember me");
        var second = new ChatClient(port, "en");
        var otherCodename = second.begin();
        second.say(second.page(), "someone else");

        var guesser = new ChatClient(port, "en");
        var solved = ChatClient.resumeForm(guesser.page());
        solved.put("codename", "abandon ability able about above");
        assertThat(guesser.post(solved).statusCode()).as("found nowhere").isEqualTo(422);
        solved.put("codename", codename);
        assertThat(guesser.post(solved).statusCode()).as("the same challenge, another guess").isEqualTo(422);
        assertThat(guesser.page().getElementById("latest")).isNull();
        assertThat(guesser.resume(codename).statusCode()).as("a new challenge solved: he mistyped").isEqualTo(303);

        var tabs = new ChatClient(port, "en");
        var once = ChatClient.resumeForm(tabs.page());
        once.put("codename", codename);
        assertThat(tabs.post(once).statusCode()).isEqualTo(303);
        once.put("codename", otherCodename);
        assertThat(tabs.post(once).statusCode()).as("another chat with the same challenge").isEqualTo(422);
        once.put("codename", codename.toUpperCase(Locale.ROOT));
        assertThat(tabs.post(once).statusCode()).as("the same chat again (another tab)").isEqualTo(303);
        assertThat(tabs.page().select(".transcript .mine").text()).contains("remember me");
    }

    @Test
    void leavingForgetsTheSessionButNotTheChat() {
        var client = new ChatClient(port, "en");
        var codename = client.begin();
        var cookie = client.last.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        var left = client.post(Map.of("op", "leave"));
        assertThat(left.statusCode()).isEqualTo(303);
        assertThat(left.headers().firstValue("Set-Cookie")).get().asString().contains("Max-Age=0");
        assertThat(client.page().getElementById("start")).isNotNull();

        var stolen = new ChatClient(port, "en").header("Cookie", cookie);
        assertThat(stolen.page().getElementById("start")).as("the old token opens nothing").isNotNull();
        assertThat(new ChatClient(port, "en").resume(codename).statusCode()).isEqualTo(303);
    }

    @Test
    void endsTheSessionAndForgetsTheCodenameWhenHeDeletesHisData() {
        var client = new ChatClient(port, "en");
        var codename = client.begin();
        assertThat(client.say(client.page(), "/delete").statusCode()).isEqualTo(303);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.page().getElementById("start") != null);
        assertThat(client.last.body()).contains("This conversation was deleted.");
        assertThat(client.last.headers().firstValue("Set-Cookie")).get().asString().contains("Max-Age=0");
        assertThat(new ChatClient(port, "en").resume(codename).statusCode()).isEqualTo(422);
    }

    @Test
    void showsAnOperatorsReplyAfterCheckingAndMarksItDelivered() {
        var client = new ChatClient(port, "ko");
        client.begin();
        var conversation = conversationOf(client);
        var reply = transaction.execute(status -> gateway.send(conversation, new OutboundContent.Text("담당자입니다. 안녕하십니까?")));

        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(conversation, reply) == DeliveryState.SENT);
        assertThat(client.page().select(".transcript .ours").text()).contains("담당자입니다. 안녕하십니까?");
        assertThat(delivery(conversation, reply)).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void servesOnlyRelativeAddressesNoInlineScriptAndTheScriptedPolicyOnEveryResponse() {
        var client = new ChatClient(port, "ko");
        var responses = new ArrayList<java.net.http.HttpResponse<String>>();
        var start = client.page();
        responses.add(client.last);
        checkPage(start);
        client.start();
        responses.add(client.last);
        var chat = client.page();
        responses.add(client.last);
        checkPage(chat);
        responses.add(client.say(chat, "안녕하십니까"));
        responses.add(client.get(client.path() + "/state"));
        responses.add(client.get("/assets/chat/chat.js"));
        responses.add(client.post(Map.of("op", "send", "form", "x", "text", "")));
        responses.add(new ChatClient(port, "ko").resume("없는 암호"));

        for (var response : responses) {
            var name = response.request().method() + " " + response.request().uri().getPath() + " " + response.statusCode();
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(name).hasValue(SCRIPTED_POLICY);
            // the chat's own pages send their address to themselves only, for the Origin/Referer check of its forms
            assertThat(response.headers().firstValue("Referrer-Policy")).as(name)
                    .hasValue(response.request().uri().getPath().startsWith("/ko/chat") ? "same-origin" : "no-referrer");
        }
        assertThat(client.get("/ko/").headers().firstValue("Content-Security-Policy")).get().asString()
                .doesNotContain("script-src");
        var css = client.get("/assets/site.css").body();
        assertThat(Pattern.compile("url\\(|@import").matcher(css).find()).as("the stylesheet loads nothing").isFalse();
        assertThat(client.get("/assets/chat/chat.js").body()).doesNotContain("http:", "https:", "//" + "cdn");
    }

    @Test
    void keepsTheChatPageUnderThirtyKilobytes() {
        var client = new ChatClient(port, "ko");
        client.page();
        assertThat(client.last.body().getBytes(UTF_8).length).isLessThan(30 * 1024);
        client.start();
        for (int i = 0; i < 6; i++) {
            client.say(client.page(), "긴 통보문 ".repeat(150));
        }
        client.page();
        assertThat(client.last.body().getBytes(UTF_8).length).isLessThan(30 * 1024);
    }

    @Test
    void behavesTheSameWhateverHostTheRequestNames() throws IOException {
        var onion = rawGet("/ru/chat", "Host: abc.onion");
        var mirror = rawGet("/ru/chat", "Host: mirror.example", "X-Forwarded-Host: evil.example",
                "Forwarded: host=evil.example");
        assertThat(comparable(mirror)).isEqualTo(comparable(onion));
        assertThat(onion).doesNotContain("abc.onion").doesNotContain("127.0.0.1");
        assertThat(mirror).doesNotContain("mirror.example").doesNotContain("evil.example");

        var post = rawPost("/ru/chat", "op=resume&codename=x", "Host: mirror.example", "Origin: http://mirror.example");
        assertThat(post).startsWith("HTTP/1.1 422").doesNotContain("mirror.example");
        var leave = rawPost("/ru/chat", "op=leave", "Host: abc.onion", "Referer: http://abc.onion/ru/chat");
        assertThat(leave).startsWith("HTTP/1.1 303").contains("\r\nLocation: chat?left\r\n").doesNotContain("abc.onion");
    }

    @Test
    void keepsNoAddressAndNoCodenameInTheDatabaseOrTheLogs(CapturedOutput output) {
        var before = output.getAll().length();
        var client = new ChatClient(port, "ko").header("X-Forwarded-For", "198.51.100.23")
                .header("X-Real-IP", "198.51.100.23").header("Forwarded", "for=198.51.100.23");
        var codename = client.start();
        client.choose(client.page(), 0);
        client.choose(client.page(), 0);
        client.say(client.page(), "안녕하십니까");
        new ChatClient(port, "ko").header("X-Forwarded-For", "198.51.100.23").resume(codename);
        await().atMost(Duration.ofSeconds(10)).until(() -> inbound(conversationOf(client)).contains("안녕하십니까"));

        var rows = DatabaseRows.values(jdbc, environment);
        assertThat(rows).as("rows were read").hasSizeGreaterThan(20);
        var logged = output.getAll().substring(before);
        for (var secret : List.of("198.51.100.23", "127.0.0.1", codename, Codenames.normalise(codename),
                codename.split(" ")[0] + " " + codename.split(" ")[1])) {
            var hex = HexFormat.of().formatHex(secret.getBytes(UTF_8));
            assertThat(rows).as("raw database rows").noneMatch(value -> value.contains(secret) || value.contains(hex));
            assertThat(logged).as("logs").doesNotContain(secret);
        }
    }

    private void checkPage(Document page) {
        for (var element : page.getAllElements()) {
            for (var attribute : RESOURCE_ATTRIBUTES) {
                if (element.hasAttr(attribute)) {
                    var address = element.attr(attribute);
                    assertThat(address).as("<%s %s>", element.tagName(), attribute)
                            .doesNotContain(":").doesNotStartWith("/");
                }
            }
            assertThat(element.hasAttr("style")).as("inline style on <%s>", element.tagName()).isFalse();
            assertThat(element.attributes().asList()).noneMatch(a -> a.getKey().startsWith("on"));
        }
        assertThat(page.select("style, iframe, object, embed")).isEmpty();
        assertThat(page.select("script")).allSatisfy(script -> {
            assertThat(script.attr("src")).isEqualTo("../assets/chat/chat.js");
            assertThat(script.data()).isEmpty();
        });
    }

    private org.lifeline.conversations.ConversationId conversationOf(ChatClient client) {
        return WebChatTestSupport.conversationOf(chat, conversations, client.token());
    }

    private List<String> inbound(org.lifeline.conversations.ConversationId conversation) {
        return conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.INBOUND)
                .map(m -> m.body()).toList();
    }

    private DeliveryState delivery(org.lifeline.conversations.ConversationId conversation,
            org.lifeline.conversations.MessageId message) {
        return conversations.transcript(conversation).stream().filter(m -> m.id().equals(message)).findFirst()
                .orElseThrow().delivery();
    }

    /** The page without what is random on every view: tokens, codename and sum. */
    private static String comparable(String response) {
        return response.replaceAll("value=\"[^\"]*\"", "value=\"\"")
                .replaceAll("(?s)<p class=\"codename\" id=\"codename\">.*?</p>", "")
                .replaceAll("(?s)<label for=\"(resume-)?answer\">.*?</label>", "");
    }

    private String rawGet(String path, String... headers) throws IOException {
        return raw("GET " + path + " HTTP/1.0\r\n" + String.join("\r\n", headers) + "\r\n\r\n");
    }

    private String rawPost(String path, String body, String... headers) throws IOException {
        return raw("POST " + path + " HTTP/1.0\r\n" + String.join("\r\n", headers)
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /** HTTP/1.0 over a plain socket: the JDK client will not let a test choose the Host header. */
    private String raw(String request) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), UTF_8).replaceAll("(?m)^Date: .*\r\n", "");
        }
    }
}
