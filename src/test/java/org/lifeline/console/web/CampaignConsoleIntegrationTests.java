package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.campaigns.Campaign;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.campaigns.NewCampaign;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.ManualClock;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** Campaigns in the console: created by a supervisor, followed in the queue and on the case page by operators. */
@ConsoleTest
class CampaignConsoleIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    ManualClock clock;

    @Autowired
    CampaignManagement campaigns;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    private ConsoleAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new ConsoleAccounts(mvc, administration, clock);
    }

    @Test
    void aSupervisorCreatesACampaignAndFollowsItsFunnel() throws Exception {
        var session = accounts.signIn(accounts.create(Role.SUPERVISOR));
        var name = "Leaflets, Kursk " + UUID.randomUUID();

        var created = mvc.perform(post("/console/campaigns").session(session).with(csrf())
                        .param("name", name).param("language", "ru").param("audience", "Russian infantry")
                        .param("channels", "telegram", "webchat").param("from", "2026-01-01").param("until", ""))
                .andReturn().getResponse();

        var campaign = campaigns.list().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        assertThat(created.getRedirectedUrl()).isEqualTo("/console/campaigns/" + campaign.id().value());
        assertThat(campaign.language()).isEqualTo("ru");
        assertThat(campaign.channels()).containsExactlyInAnyOrder("telegram", "webchat");
        assertThat(campaign.from()).hasToString("2026-01-01");
        assertThat(campaign.until()).isNull();
        opened(campaign, true);

        var page = mvc.perform(get("/console/campaigns/" + campaign.id().value()).session(session))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains(name, campaign.code(), "Воронка", "Russian infantry");
        var list = mvc.perform(get("/console/campaigns").session(session)).andReturn().getResponse().getContentAsString();
        assertThat(list).contains(name);

        var refused = mvc.perform(post("/console/campaigns").session(session).with(csrf())
                .param("name", name).param("language", "ru")).andReturn();
        assertThat(refused.getResponse().getRedirectedUrl()).isEqualTo("/console/campaigns");
        assertThat(refused.getFlashMap().get("problem")).isEqualTo("Кампанія з такою назвою вже існує.");
    }

    @Test
    void operatorsFilterTheQueueByCampaignAndSeeItOnTheCase() throws Exception {
        var campaign = campaigns.create(new NewCampaign("Korean video " + UUID.randomUUID(), "ko", null, Set.of(),
                null, null));
        var fromCampaign = opened(campaign, true);
        var other = opened(null, false);
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        var kase = cases.findByConversation(fromCampaign).orElseThrow();
        var filtered = mvc.perform(get("/console").param("campaign", campaign.id().value().toString()).session(session))
                .andReturn().getResponse().getContentAsString();
        assertThat(filtered).contains("/console/cases/" + kase.id().value())
                .doesNotContain("/console/conversations/" + other.value()).contains(campaign.name());
        var all = mvc.perform(get("/console").session(session)).andReturn().getResponse().getContentAsString();
        assertThat(all).contains("/console/cases/" + kase.id().value(), "/console/conversations/" + other.value());

        var casePage = mvc.perform(get("/console/cases/" + kase.id().value()).session(session))
                .andReturn().getResponse().getContentAsString();
        assertThat(casePage).contains(campaign.name());
        assertThat(mvc.perform(get("/console/campaigns").session(session)).andReturn().getResponse().getStatus())
                .isEqualTo(403);
    }

    /** A conversation started through the campaign (or none), with a case or without. */
    private ConversationId opened(Campaign campaign, boolean withCase) {
        var contact = conversations.findOrCreateContact("telegram", "campaign-console-" + UUID.randomUUID(), "ko");
        var conversation = conversations.openOrResumeConversation(contact, "ko", null,
                campaign == null ? null : campaign.id().value());
        if (withCase) {
            cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("group_size", "1"), "flow");
        }
        return conversation;
    }
}
