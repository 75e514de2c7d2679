package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.campaigns.NewCampaign;
import org.lifeline.conversations.ConversationManagement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A campaign's web chat link, {@code /{lang}/c/<code>}, as a visitor without JavaScript follows it. */
@WebChatTest
class WebChatCampaignIntegrationTests {

    private static final String KOREAN_MENU = "무엇이 필요합니까";

    @LocalServerPort
    int port;

    @Autowired
    CampaignManagement campaigns;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    WebChat chat;

    @Test
    void aCampaignLinkOpensTheChatInTheCampaignsLanguageWithTheCampaignAttached() {
        var campaign = campaigns.create(new NewCampaign("Korean leaflet, web " + System.nanoTime(), "ko", null,
                Set.of("webchat"), null, null));
        var client = new ChatClient(port, "ko");

        var link = client.get("/ko/c/" + campaign.code());
        assertThat(link.statusCode()).isEqualTo(303);
        assertThat(link.headers().firstValue("Location")).hasValue("../chat?c=" + campaign.code());
        var startPage = client.get("/ko/chat?c=" + campaign.code());
        assertThat(startPage.statusCode()).isEqualTo(200);
        var page = Jsoup.parse(startPage.body());
        assertThat(page.selectFirst("html").attr("lang")).isEqualTo("ko");
        var fields = ChatClient.fields(page.getElementById("start"));
        assertThat(fields).containsEntry("entry", campaign.code());
        fields.put("answer", Integer.toString(ChatClient.sum(page.selectFirst("label[for=answer]").text())));
        assertThat(client.post(fields).statusCode()).isEqualTo(303);
        var opening = client.page();
        assertThat(opening.text()).as("the campaign's language, shown before anything is stored").contains(KOREAN_MENU);
        assertThat(campaigns.funnel(campaign.id()).started()).as("a start alone stores nothing").isZero();

        // the code and the language the start carried, kept by the browser alone, reach the chat with his first post
        assertThat(client.say(opening, "안녕하십니까").statusCode()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(20)).until(() -> campaigns.funnel(campaign.id()).started() == 1);
        // the chat's own conversation
        var conversation = conversations.conversation(WebChatTestSupport.conversationOf(chat, conversations, client.token()));
        assertThat(conversation.campaign()).isEqualTo(campaign.id().value());
        assertThat(conversation.channel()).isEqualTo("webchat");
        assertThat(conversation.language()).isEqualTo("ko");
        assertThat(client.page().text()).contains(KOREAN_MENU);
    }

    @Test
    void theLanguageOfThePageHeChoseOutranksTheCampaigns() {
        // the campaign's own link leads to its language's page; a visitor who chose English there gets English,
        // whether or not the code he carries is a running campaign's
        var campaign = campaigns.create(new NewCampaign("Korean leaflet, English page " + System.nanoTime(), "ko",
                null, Set.of("webchat"), null, null));
        var client = new ChatClient(port, "en");

        var page = Jsoup.parse(client.get("/en/chat?c=" + campaign.code()).body());
        var fields = ChatClient.fields(page.getElementById("start"));
        assertThat(fields).containsEntry("entry", campaign.code());
        fields.put("answer", Integer.toString(ChatClient.sum(page.selectFirst("label[for=answer]").text())));
        assertThat(client.post(fields).statusCode()).isEqualTo(303);
        assertThat(client.say(client.page(), "hello").statusCode()).isEqualTo(303);

        var conversation = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> conversations
                .conversation(WebChatTestSupport.conversationOf(chat, conversations, client.token())), java.util.Objects::nonNull);
        assertThat(conversation.campaign()).isEqualTo(campaign.id().value());
        assertThat(conversation.language()).isEqualTo("en");
        assertThat(client.page().text()).doesNotContain(KOREAN_MENU);
    }

    @Test
    void anUnknownCodeGetsTheSamePageAndStartsAnOrdinaryChat() {
        var client = new ChatClient(port, "ko");
        var unknown = "Zz9Zz9Zz9Zz9";

        var link = client.get("/ko/c/" + unknown);
        assertThat(link.statusCode()).isEqualTo(303);
        assertThat(link.headers().firstValue("Location")).hasValue("../chat?c=" + unknown);
        var page = Jsoup.parse(client.get("/ko/chat?c=" + unknown).body());
        var fields = ChatClient.fields(page.getElementById("start"));
        fields.put("answer", Integer.toString(ChatClient.sum(page.selectFirst("label[for=answer]").text())));
        assertThat(client.post(fields).statusCode()).isEqualTo(303);
        assertThat(client.page().text()).contains(KOREAN_MENU);
    }

    @Test
    void aMalformedCodeIsDroppedNeverEchoed() {
        var client = new ChatClient(port, "ru");

        var link = client.get("/ru/c/%3Cb%3Ex");
        assertThat(link.statusCode()).isEqualTo(303);
        assertThat(link.headers().firstValue("Location")).hasValue("../chat");
        var page = client.get("/ru/chat?c=%3Cb%3Ex");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("<b>x").doesNotContain("name=\"entry\"");
        assertThat(client.get("/xx/c/Zz9Zz9Zz9Zz9").statusCode()).isEqualTo(404);
    }
}
