package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A flow that asks more after it opened a case and adds the answer with {@code update_case}: an operator closed the
 * case meanwhile, so the answer stays in the transcript and the case as it was closed, and the flow goes on.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FlowCaseUpdateIntegrationTests {

    static final String BOT = "lifeline_update_bot";
    static final String TOKEN = "7000000003:AAupdatetokenupdatetokenupdate";
    static final String SECRET = "update-webhook-secret_0123456789";
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    static final long CHAT = 720_000_000L + (System.nanoTime() % 100_000_000L);
    static final PrivateChatUpdates soldier = new PrivateChatUpdates(CHAT, "Ivan", "ru");

    /** The entry flow replaced by one that asks, opens a case, asks again and updates the case. */
    static final String MAIN = """
            id: main
            version: 99
            start: unit
            nodes:
              unit: {kind: ask_text, text: unit.ask, store: unit, next: open}
              open: {kind: open_case, case: SURRENDER_REQUEST, fields: [unit], next: group}
              group: {kind: ask_text, text: group.ask, store: group_size, next: update}
              update: {kind: update_case, fields: [group_size], next: done}
              done: {kind: end, text: done.text}
            """;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
        try {
            var directory = Files.createTempDirectory("flows-update");
            Files.createDirectories(directory.resolve("main"));
            Files.writeString(directory.resolve("main/main.yaml"), MAIN);
            for (var language : List.of("ru", "uk", "en", "ko")) {
                Files.writeString(directory.resolve("main/" + language + ".yaml"), """
                        unit.ask: Unit?
                        group.ask: How many?
                        done.text: Done.
                        """);
            }
            registry.add("lifeline.flows.directory", directory::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAnswerForACaseClosedMeanwhileStaysInTheTranscriptAndTheFlowGoesOn() throws Exception {
        send("/start");
        awaitReplies(1);
        send("3rd brigade");
        awaitReplies(2);
        var conversation = conversations.findContact("telegram", Long.toString(CHAT))
                .flatMap(conversations::latestConversation).orElseThrow();
        var opened = cases.findByConversation(conversation).orElseThrow();
        var closed = cases.transition(opened.id(), StatusChange.close(CloseReason.NOT_ELIGIBLE), "an officer",
                "operator", opened.version());

        send("4");

        assertThat(awaitReplies(3).getLast().body().path("text").asString()).isEqualTo("Done.");
        var unchanged = cases.find(closed.id()).orElseThrow();
        assertThat(unchanged.status()).isEqualTo(CaseStatus.CLOSED);
        assertThat(unchanged.version()).isEqualTo(closed.version());
        assertThat(unchanged.details()).containsEntry("unit", "3rd brigade").doesNotContainKey("group_size");
        assertThat(conversations.transcript(conversation)).anyMatch(message -> "4".equals(message.body()));
    }

    private void send(String text) throws Exception {
        var update = soldier.text(text);
        var response = http.send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, update.toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private List<FakeTelegramBotApi.Call> awaitReplies(int count) throws InterruptedException {
        assertThat(telegram.awaitCalls(calls -> replies().size() >= count, Duration.ofSeconds(20)))
                .as("%d replies", count).isTrue();
        return replies();
    }

    private List<FakeTelegramBotApi.Call> replies() {
        return telegram.delivered().stream().filter(c -> c.body().path("chat_id").asLong() == CHAT).toList();
    }
}
