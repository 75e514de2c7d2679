package org.lifeline.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifeline.whatsapp.FakeGraphApi.APP_SECRET;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.campaigns.NewCampaign;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationView;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * A campaign's {@code wa.me} link types {@code /start <code>} for him: that first message attributes the
 * conversation and sets its language; an unknown code starts as any first message does.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WhatsAppCampaignIntegrationTests {

    static final FakeGraphApi graph = FakeGraphApi.start();

    @DynamicPropertySource
    static void whatsappProperties(DynamicPropertyRegistry registry) {
        graph.register(registry);
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    CampaignManagement campaigns;

    @Autowired
    ConversationManagement conversations;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFirstMessageWithTheCodeBelongsToTheCampaignInItsLanguage() throws Exception {
        var campaign = campaigns.create(new NewCampaign("Korean video, WhatsApp " + System.nanoTime(), "ko", null,
                Set.of("whatsapp"), null, null));
        var waId = WhatsAppDeliveries.newWaId();

        send(WhatsAppDeliveries.text(waId, "/start " + campaign.code()));

        assertThat(firstQuestion(waId)).contains("무엇이 필요합니까");
        assertThat(conversation(waId).campaign()).isEqualTo(campaign.id().value());
        assertThat(conversation(waId).language()).isEqualTo("ko");
    }

    @Test
    void anUnknownCodeStartsAsAnyFirstMessage() throws Exception {
        var waId = WhatsAppDeliveries.newWaId();

        send(WhatsAppDeliveries.text(waId, "/start Zz9Zz9Zz9Zz9"));

        assertThat(firstQuestion(waId)).contains("What do you need?");
        assertThat(conversation(waId).campaign()).isNull();
        assertThat(conversation(waId).language()).isEqualTo("en");
    }

    private String firstQuestion(String waId) throws InterruptedException {
        assertThat(graph.awaitCalls(calls -> graph.sentTo(waId).stream()
                .anyMatch(c -> c.body().path("type").asString().equals("interactive")), Duration.ofSeconds(20))).isTrue();
        return graph.sentTo(waId).stream().filter(c -> c.body().path("type").asString().equals("interactive"))
                .findFirst().orElseThrow().body().path("interactive").path("body").path("text").asString();
    }

    private ConversationView conversation(String waId) {
        var contact = conversations.findContact("whatsapp", waId).orElseThrow();
        return conversations.conversation(conversations.latestConversation(contact).orElseThrow());
    }

    private void send(ObjectNode delivery) throws Exception {
        var response = http.send(FakeGraphApi.delivery(port, APP_SECRET, delivery.toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
