package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.Direction;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A reply form posted twice at once (a double click), over real HTTP: one reply is queued, and both posts succeed. */
@ConsoleTest
class ReplyFormsIntegrationTests extends ConsoleFixture {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReplyForms forms;

    @Test
    void aFormPostedTwiceAtOnceQueuesOneReplyAndAnswersBothAlike() throws Exception {
        var conversation = webChatConversation();
        var account = accounts.create(Role.OPERATOR);
        try (var operator = new ConsoleHttp(port)) {
            operator.password(account.username(), ConsoleAccounts.PASSWORD);
            assertThat(operator.post("/console/login/code", "/console/login/code",
                    Map.of("code", accounts.nextCode(account.secret()))).statusCode()).isEqualTo(302);
            var page = Jsoup.parse(operator.get("/console/conversations/" + conversation.value()).body());
            var form = page.selectFirst("form.reply:has(textarea[name=text])");
            var fields = Map.of("_csrf", form.selectFirst("input[name=_csrf]").attr("value"),
                    "nonce", form.selectFirst("input[name=nonce]").attr("value"),
                    "text", "Мы здесь. Вы в безопасности?");
            var path = "/console/conversations/" + conversation.value() + "/replies";

            var both = new CyclicBarrier(2);
            HttpResponse<String> first;
            HttpResponse<String> second;
            try (var clicks = Executors.newFixedThreadPool(2)) {
                var one = clicks.submit(() -> {
                    both.await();
                    return operator.postAsIs(path, fields);
                });
                var other = clicks.submit(() -> {
                    both.await();
                    return operator.postAsIs(path, fields);
                });
                first = one.get();
                second = other.get();
            }

            assertThat(first.statusCode()).isEqualTo(302);
            assertThat(second.statusCode()).isEqualTo(302);
            assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
            var outbound = conversations.transcript(conversation).stream()
                    .filter(m -> m.direction() == Direction.OUTBOUND).toList();
            assertThat(outbound).hasSize(1);
            assertThat(jdbc.sql("select count(*) from outbox_message where message_id = ?")
                    .param(outbound.getFirst().id().value()).query(Long.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from outbox_message where recipient_ref = "
                            + "(select recipient_ref from outbox_message where message_id = ?)")
                    .param(outbound.getFirst().id().value()).query(Long.class).single())
                    .as("messages queued to him").isEqualTo(1);

            // the page shows a new form: the same words sent again are a reply of their own
            var again = Jsoup.parse(operator.get("/console/conversations/" + conversation.value()).body())
                    .selectFirst("form.reply:has(textarea[name=text]) input[name=nonce]").attr("value");
            assertThat(again).isNotEqualTo(fields.get("nonce"));
        }
    }

    @Test
    void aFormIsRememberedWhileASessionCouldStillPostItAndForgottenAfter() {
        var nonce = forms.nonce();
        assertThat(forms.take(nonce)).isTrue();

        clock.advance(ConsoleSessions.LONGEST.minusMinutes(1));
        forms.round();
        assertThat(forms.take(nonce)).as("still remembered").isFalse();

        clock.advance(Duration.ofMinutes(2));
        forms.round();
        assertThat(jdbc.sql("select count(*) from console_reply_form where nonce = ?").param(nonce)
                .query(Long.class).single()).isZero();
    }

    /** A web chat requester's conversation, whose replies go out through the web chat. */
    private ConversationId webChatConversation() {
        var contact = conversations.findOrCreateContact("webchat", "double-click-" + UUID.randomUUID(), "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", null);
        jdbc.sql("insert into channel_route (conversation_id, channel, endpoint) values (?, 'webchat', 'web')")
                .param(conversation.value()).update();
        return conversation;
    }
}
