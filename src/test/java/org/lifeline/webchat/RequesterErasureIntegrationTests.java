package org.lifeline.webchat;

import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseTransition;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageView;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.DatabaseRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A requester's deletion, from the web chat as he does it: afterwards nothing about him can be read anywhere, in
 * the database's columns or, on the embedded database, in its file on disk, in any encoding; his case remains only
 * as an anonymous outcome.
 */
@WebChatTest
class RequesterErasureIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    WebChat chat;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void leaveAndDeleteErasesEverythingAboutHimAndLeavesAnAnonymousOutcome() throws IOException {
        var secrets = secrets();
        var client = new ChatClient(port, "ru");
        var codename = client.start();
        var conversation = tellEverything(client, secrets);
        var opened = caseOf(conversation, secrets);

        var erased = client.post(Map.of("op", "erase"));

        assertThat(erased.statusCode()).isEqualTo(303);
        assertThat(erased.headers().firstValue("Location")).hasValue("chat?erased");
        assertErased(conversation, opened, secrets);
        assertThat(client.page().text()).doesNotContain(secrets.getFirst());
        assertThat(new ChatClient(port, "ru").resume(codename).statusCode())
                .as("the codename opens nothing").isNotEqualTo(303);
    }

    @Test
    void theDeleteCommandErasesHisCasesToo() throws IOException {
        var secrets = secrets();
        var client = new ChatClient(port, "en");
        client.start();
        var conversation = tellEverything(client, secrets);
        var opened = caseOf(conversation, secrets);

        assertThat(client.say(client.page(), "/delete").statusCode()).isEqualTo(303);

        await().atMost(Duration.ofSeconds(15)).until(() -> cases.find(opened.id()).orElseThrow().erased());
        assertErased(conversation, opened, secrets);
    }

    /** A name, a unit and a call sign nobody else in the database has. */
    private static List<String> secrets() {
        var random = ThreadLocalRandom.current();
        var suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append((char) ('а' + random.nextInt(32)));
        }
        return List.of("Запорожцев" + suffix, "в/ч " + (10_000 + random.nextInt(89_999)),
                "Сыч" + suffix.reverse());
    }

    private ConversationId tellEverything(ChatClient client, List<String> secrets) {
        var text = "Меня зовут " + secrets.get(0) + ", " + secrets.get(1) + ", позывной " + secrets.get(2);
        assertThat(client.say(client.page(), text).statusCode()).isEqualTo(303);
        var conversation = WebChatTestSupport.conversationOf(chat, conversations, client.token());
        await().atMost(Duration.ofSeconds(10)).until(() -> conversations.transcript(conversation).stream()
                .anyMatch(m -> m.direction() == Direction.INBOUND && text.equals(m.body())));
        var message = conversations.transcript(conversation).stream().filter(m -> text.equals(m.body())).findFirst()
                .orElseThrow();
        conversations.attach(message.id(), "image/jpeg", ("photo of " + secrets.get(0)).getBytes(UTF_8));
        return conversation;
    }

    private CaseView caseOf(ConversationId conversation, List<String> secrets) {
        var contact = conversations.conversation(conversation).contact();
        var details = new LinkedHashMap<String, String>();
        details.put("name", secrets.get(0));
        details.put("unit", secrets.get(1));
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, details, "flow");
        return cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), "Позывной " + secrets.get(2),
                "operator.anna", opened.version());
    }

    private void assertErased(ConversationId conversation, CaseView opened, List<String> secrets) throws IOException {
        var kase = cases.find(opened.id()).orElseThrow();
        assertThat(kase.erased()).isTrue();
        assertThat(kase.details()).isEmpty();
        assertThat(kase.status()).isEqualTo(CaseStatus.CLOSED);
        assertThat(kase.closeReason()).isEqualTo(CloseReason.WITHDRAWN);
        assertThat(cases.history(opened.id())).extracting(CaseTransition::note).containsOnlyNulls();
        assertThat(cases.history(opened.id()).getLast().actor()).isEqualTo("requester");
        assertThat(jdbc.sql("select details_enc from support_case where id = ?").param(opened.id().value())
                .query(byte[].class).optional()).isEmpty();
        assertThat(conversations.transcript(conversation)).allMatch(MessageView::erased);
        assertThat(conversations.transcript(conversation)).allSatisfy(m ->
                assertThat(conversations.attachment(m.id())).isEmpty());
        assertThat(jdbc.sql("select count(*) from flow_session where conversation_id = ?")
                .param(conversation.value()).query(Long.class).single()).isZero();

        var values = DatabaseRows.values(jdbc, environment);
        for (var secret : secrets) {
            assertThat(values).as("database columns").noneMatch(value -> value.contains(secret)
                    || value.toLowerCase(Locale.ROOT).contains(hex(secret)));
        }
        if (!DatabaseAvailability.onPostgres()) {
            jdbc.sql("checkpoint sync").update();
            var files = databaseFiles();
            assertThat(files).as("the embedded database's files").isNotEmpty();
            for (var file : files) {
                var bytes = Files.readAllBytes(file);
                for (var secret : secrets) {
                    for (var charset : List.of(UTF_8, UTF_16LE, UTF_16BE, Charset.forName("windows-1251"))) {
                        assertThat(indexOf(bytes, secret.getBytes(charset))).as("%s in %s", charset, file)
                                .isNegative();
                    }
                }
            }
        }
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(UTF_8));
    }

    private static List<Path> databaseFiles() throws IOException {
        var files = new ArrayList<Path>();
        try (Stream<Path> walk = Files.walk(Path.of(System.getProperty("lifeline.data-dir")))) {
            walk.filter(path -> path.getFileName().toString().endsWith(".db")).forEach(files::add);
        }
        return files;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
