package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.whatsapp.FakeGraphApi;
import org.lifeline.whatsapp.WhatsAppDeliveries;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.Direction;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the console shows of a WhatsApp conversation: a reply that could only go as the approved template (his
 * 24-hour window had closed), and a reply WhatsApp refused for good.
 */
@ConsoleTest
class WhatsAppConversationConsoleIntegrationTests extends ConsoleFixture {

    @RegisterExtension
    static final FakeGraphApi graph = FakeGraphApi.start();

    @DynamicPropertySource
    static void whatsappProperties(DynamicPropertyRegistry registry) {
        graph.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void theConversationPageSaysWhenAReplyWentAsTheTemplateAndWhenOneFailedForGood() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();
        var yesterday = WhatsAppDeliveries.text(waId, "Вы ещё здесь?");
        ((ObjectNode) yesterday.path("entry").path(0).path("changes").path(0).path("value").path("messages").path(0))
                .put("timestamp", Long.toString(clock.instant().minus(Duration.ofHours(25)).getEpochSecond()));
        var response = HttpClient.newHttpClient().send(FakeGraphApi.delivery(port, FakeGraphApi.APP_SECRET, yesterday.toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var conversation = await().atMost(Duration.ofSeconds(20)).until(() -> conversations.findContact("whatsapp", waId)
                .flatMap(conversations::latestConversation), java.util.Optional::isPresent).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> settled(() -> allOutboundSettled(conversation)));

        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        mvc.perform(post("/console/conversations/" + conversation.value() + "/replies").session(session).with(csrf())
                .param("text", "Мы здесь. Напишите нам, когда сможете.")).andExpect(status().is3xxRedirection());
        await().atMost(Duration.ofSeconds(20)).until(() -> settled(
                () -> "whatsapp.template".equals(lastOutbound(conversation).deliveryDetail())));
        assertThat(graph.sentTo(waId).getLast().body().path("template").path("name").asString()).isEqualTo("lifeline_reply_ru");

        graph.failNext(waId, 400, 131026);
        mvc.perform(post("/console/conversations/" + conversation.value() + "/replies").session(session).with(csrf())
                .param("text", "Вы получили наше сообщение?")).andExpect(status().is3xxRedirection());
        await().atMost(Duration.ofSeconds(20)).until(() -> settled(() -> lastOutbound(conversation).delivery() == DeliveryState.FAILED));

        var page = mvc.perform(get("/console/conversations/" + conversation.value()).session(session))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Мы здесь. Напишите нам, когда сможете.").contains("SENT (whatsapp.template)")
                .contains("FAILED (whatsapp.131026)");
    }

    /**
     * The clock here stands still unless moved: the dispatcher's gap between two messages to one person, and a
     * delivery report that came before its send was recorded, both wait for it to pass their time.
     */
    private boolean settled(java.util.function.BooleanSupplier condition) {
        if (condition.getAsBoolean()) {
            return true;
        }
        clock.advance(Duration.ofSeconds(1));
        return false;
    }

    private boolean allOutboundSettled(ConversationId conversation) {
        var outbound = conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.OUTBOUND).toList();
        // the flow's own answers have left (as templates or not): what the operator sends next is the last message
        return !outbound.isEmpty() && outbound.stream().allMatch(m -> m.delivery() != DeliveryState.PENDING);
    }

    private org.lifeline.conversations.MessageView lastOutbound(ConversationId conversation) {
        return conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.OUTBOUND)
                .reduce((a, b) -> b).orElseThrow();
    }
}
