package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageKind;
import org.lifeline.privacy.DataProtection;
import org.lifeline.site.SiteLanguage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A start stores nothing: the browser holds it sealed until his first post, which stores the start, the flow's
 * opening and the post, in that order, and opens the session. So starts need no budget a script could spend.
 */
@WebChatTest
class WebChatStartIntegrationTests {

    private static final String MENU = "What do you need";

    /**
     * What the pages said before a first post, per language: a chat for the codename to open again, or to continue
     * with it, when nothing was kept yet.
     */
    private static final Map<String, List<String>> PROMISES = Map.of(
            "en", List.of("continue this chat", "Your codename still opens it", "Continue with your codename, or"),
            "ru", List.of("продолжить этот чат", "Кодовое имя по-прежнему его открывает",
                    "Продолжите с кодовым именем или"),
            "uk", List.of("продовжити цей чат", "й далі його відкриває", "Продовжте з кодовим ім\u02bcям або"),
            "ko", List.of("이 대화를 나중에", "암호말로 다시 열수 있습니다", "암호말로 계속하거나"));
    /** What they say now: the codename takes him back once he has written, and if he had. */
    private static final Map<String, List<String>> ONCE_WRITTEN = Map.of(
            "en", List.of("Once you have written to us", "If you had written to us"),
            "ru", List.of("Когда вы нам напишете", "Если вы успели нам написать"),
            "uk", List.of("Коли ви нам напишете", "Якщо ви встигли нам написати"),
            "ko", List.of("글을 보낸 다음에는", "글을 보냈다면"));

    @LocalServerPort
    int port;

    @Autowired
    WebChat chat;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    DataProtection protection;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aStartStoresNoConversationSessionOrUpdateAndShowsTheFlowsOpening() {
        var before = rows();
        var client = new ChatClient(port, "en");

        client.start();
        var page = client.page();

        assertThat(page.text()).contains(MENU);
        assertThat(page.select("form.options button")).isNotEmpty();
        assertThat(rows()).as("conversations, contacts, sessions, inbound updates").isEqualTo(before);
        var session = chat.session(client.token(), false).orElseThrow();
        assertThat(conversations.findContact("webchat", session.senderId())).isEmpty();
    }

    @Test
    void theFirstPostStoresOneConversationWithTheOpeningHeSawThenHisPost() {
        var client = new ChatClient(port, "en");
        client.start();
        var shown = client.page();
        var opening = shown.select("ol.transcript li .said").eachText();
        var senderId = chat.session(client.token(), false).orElseThrow().senderId();
        assertThat(conversations.findContact("webchat", senderId)).as("nothing before his first post").isEmpty();

        assertThat(client.say(shown, "hello from the first post").statusCode()).isEqualTo(303);

        var transcript = conversations.transcript(WebChatTestSupport.conversationOf(chat, conversations, client.token()));
        var kinds = new ArrayList<String>();
        for (var message : transcript) {
            kinds.add(message.direction() == Direction.INBOUND ? message.kind().name() : "OURS");
        }
        assertThat(kinds.subList(0, opening.size() + 2)).as("the start, what he was shown, his post")
                .containsExactlyElementsOf(sequence(opening.size()));
        // as the page shows it, its white space folded
        assertThat(transcript.subList(1, 1 + opening.size()).stream().map(m -> m.body().replaceAll("\\s+", " ").strip())
                .toList()).containsExactlyElementsOf(opening);
        assertThat(transcript.get(opening.size() + 1).body()).isEqualTo("hello from the first post");
        assertThat(client.page().text()).contains("hello from the first post");
    }

    @Test
    void aStartTokenPostedWithAgainStartsNoSecondConversation() {
        var first = new ChatClient(port, "en");
        first.start();
        var token = first.token();
        var replay = new ChatClient(port, "en").header("Cookie", WebChatTestSupport.COOKIE + "=" + token);
        var replayed = replay.page();
        var senderId = chat.session(token, false).orElseThrow().senderId();
        assertThat(conversations.findContact("webchat", senderId)).as("a start token that stored nothing").isEmpty();

        assertThat(first.say(first.page(), "first").statusCode()).isEqualTo(303);
        assertThat(replay.say(replayed, "again").statusCode()).isEqualTo(303);

        var conversation = WebChatTestSupport.conversationOf(chat, conversations, first.token());
        assertThat(WebChatTestSupport.conversationOf(chat, conversations, replay.token())).isEqualTo(conversation);
        var contact = conversations.conversation(conversation).contact();
        assertThat(conversations.conversationsOf(contact)).hasSize(1);
        assertThat(conversations.transcript(conversation).stream().filter(m -> m.kind() == MessageKind.START))
                .hasSize(1);
    }

    @Test
    void anExpiredOrForgedStartIsRefusedWithAClearPage() {
        var old = new StartTokens(protection, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-31)),
                Duration.ofMinutes(30)).issue("AAAAAAAAAAAAAAAAAAAAAA", "en",
                HexFormat.of().parseHex("00112233445566778899aabbccddeeff"), null);
        var fresh = new ChatClient(port, "en");
        fresh.start();
        var forged = fresh.token().substring(0, fresh.token().length() - 2)
                + (fresh.token().endsWith("AA") ? "BB" : "AA");

        for (var token : List.of(old, forged, StartTokens.PREFIX + "not-ours")) {
            var client = new ChatClient(port, "en").header("Cookie", WebChatTestSupport.COOKIE + "=" + token);
            var page = client.page();
            assertThat(page.text()).contains("Your session ended");
            assertThat(page.getElementById("start")).isNotNull();
            assertThat(client.last.headers().allValues("Set-Cookie")).anyMatch(c -> c.contains("Max-Age=0"));
            var posted = client.post(new java.util.LinkedHashMap<>(java.util.Map.of("op", "send", "form", "x",
                    "text", "anyone there")));
            var again = Jsoup.parse(posted.body());
            assertThat(again.text()).contains("Your session ended");
            assertThat(again.getElementById("unsent").text()).as("what he typed, not lost").isEqualTo("anyone there");
            assertThat(again.getElementById("start")).isNotNull();
            assertThat(chat.session(token, false)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("org.lifeline.site.SiteLanguage#all")
    void beforeHisFirstPostNoPagePromisesAChatForTheCodenameToOpen(SiteLanguage language) {
        var code = language.code();
        var client = new ChatClient(port, code);
        var start = client.page().text();
        client.start();
        var opening = client.page();
        var expired = new ChatClient(port, code).header("Cookie", WebChatTestSupport.COOKIE + "=" + StartTokens.PREFIX
                + "not-ours").page().text();

        for (var page : List.of(start, opening.text(), expired)) {
            for (var promise : PROMISES.get(code)) {
                assertThat(page).as("%s", code).doesNotContain(promise);
            }
        }
        assertThat(start).contains(ONCE_WRITTEN.get(code).get(0));
        assertThat(expired).contains(ONCE_WRITTEN.get(code).get(1));
        assertThat(opening.getElementById("unsaved")).as("nothing kept yet, said before he writes").isNotNull();

        assertThat(client.say(opening, "hello").statusCode()).isEqualTo(303);
        var spoken = client.page();
        assertThat(spoken.getElementById("unsaved")).as("once he has written").isNull();
        assertThat(spoken.text()).contains(PROMISES.get(code).get(1));
    }

    @Test
    void aFloodOfStartsDoesNotShutStartsForAnotherVisitor() {
        var before = rows();
        var answers = new ArrayList<Integer>();
        for (int i = 0; i < 150; i++) {
            // one script, each start from a fresh page as a browser without cookies asks for it
            try (var script = new ChatClient(port, "en")) {
                var page = script.page();
                var form = ChatClient.fields(page.getElementById("start"));
                form.put("answer", Integer.toString(ChatClient.sum(page.selectFirst("label[for=answer]").text())));
                answers.add(script.post(form).statusCode());
            }
        }

        assertThat(answers).as("the script's starts, more than the old budget of 60 a minute").containsOnly(303);
        assertThat(rows()).isEqualTo(before);
        var visitor = new ChatClient(port, "en");
        visitor.start();
        assertThat(visitor.page().text()).contains(MENU);
    }

    private static List<String> sequence(int shown) {
        var expected = new ArrayList<String>();
        expected.add("START");
        for (int i = 0; i < shown; i++) {
            expected.add("OURS");
        }
        expected.add("TEXT");
        return expected;
    }

    private List<Long> rows() {
        return List.of("conversation", "contact", "webchat_session", "inbound_update").stream()
                .map(table -> jdbc.sql("select count(*) from " + table).query(Long.class).single()).toList();
    }
}
