package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.Direction;
import org.lifeline.testing.ManualClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A soldier who opened the menu on Telegram and went quiet: what the flows' timers may or may not say to him. */
abstract class QuietSoldier {

    static final String SECRET = "unsolicited-webhook-secret_0123";

    @LocalServerPort
    int port;
    @Autowired
    ConversationManagement conversations;
    @Autowired
    ManualClock clock;
    @Autowired
    FlowConversations flows;
    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    final long chat = 710_000_000L + (System.nanoTime() % 100_000_000L);
    final PrivateChatUpdates soldier = new PrivateChatUpdates(chat, "Ivan", "ru");

    abstract String bot();

    abstract FakeTelegramBotApi telegram();

    ConversationId startAndGoQuiet() throws Exception {
        var response = http.send(FakeTelegramBotApi.webhookDelivery(port, bot(), SECRET, soldier.text("/start").toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(telegram().awaitCalls(calls -> replies().size() >= 1, Duration.ofSeconds(20))).isTrue();
        return conversations.findContact("telegram", Long.toString(chat)).flatMap(conversations::latestConversation)
                .orElseThrow(() -> new AssertionError("the channel made no conversation for the chat"));
    }

    /**
     * What the timers do to this conversation when its due time has come by the clock: the tick {@link FlowTimers}
     * gives every due session in its next pass, given now. Returns how many messages the tick sent.
     */
    int tick(ConversationId conversation) {
        return flows.tick(conversation, clock.instant());
    }

    /** The flow session's status as stored. */
    String status(ConversationId conversation) {
        return jdbc.sql("select status from flow_session where conversation_id = ?").param(conversation.value())
                .query(String.class).single();
    }

    long outbound(ConversationId conversation) {
        return conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.OUTBOUND).count();
    }

    List<FakeTelegramBotApi.Call> replies() {
        return telegram().delivered().stream().filter(c -> c.body().path("chat_id").asLong() == chat).toList();
    }
}
