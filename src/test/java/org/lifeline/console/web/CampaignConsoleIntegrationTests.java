package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jsoup.Jsoup;
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
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.AccessRecord.Filter;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
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

    @Autowired
    AccessRecord access;

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

    @Test
    void funnelsShowBandsOfFiveAndOnlyWhatHappenedBeforeToday() throws Exception {
        // a campaign made for one person: polling its funnel must not time his steps
        var campaign = campaigns.create(new NewCampaign("One person " + UUID.randomUUID(), "ru", null, Set.of(),
                null, null));
        for (var i = 0; i < 6; i++) {
            opened(campaign, true);
        }
        var admin = accounts.create(Role.ADMIN);

        assertThat(funnels(accounts.signIn(admin), campaign)).as("today's, not yet")
                .containsOnly(List.of("<5", "<5", "<5", "<5", "<5"));

        clock.advance(Duration.ofDays(1));
        var session = accounts.signIn(admin);
        assertThat(funnels(session, campaign)).containsOnly(List.of("5", "5", "<5", "<5", "<5"));
        for (var i = 0; i < 4; i++) {
            opened(campaign, false);
        }
        assertThat(funnels(session, campaign)).containsOnly(List.of("5", "5", "<5", "<5", "<5"));

        clock.advance(Duration.ofDays(1));
        assertThat(funnels(accounts.signIn(admin), campaign)).containsOnly(List.of("10", "5", "<5", "<5", "<5"));
    }

    @Test
    void campaignActionsAreRecordedWithIdsOnly() throws Exception {
        var account = accounts.create(Role.SUPERVISOR);
        var session = accounts.signIn(account);
        var name = "Recorded " + UUID.randomUUID();
        mvc.perform(post("/console/campaigns").session(session).with(csrf()).param("name", name).param("language", "ko"));
        var campaign = campaigns.list().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        var id = campaign.id().value().toString();
        mvc.perform(get("/console/campaigns").session(session));
        mvc.perform(get("/console/campaigns/" + id).session(session));
        var qr = mvc.perform(get("/console/campaigns/" + id + "/qr/0").session(session)).andReturn().getResponse();
        assertThat(qr.getStatus()).isEqualTo(200);
        assertThat(qr.getContentType()).isEqualTo("image/png");
        mvc.perform(post("/console/campaigns/" + id + "/active").session(session).with(csrf()).param("active", "false"));
        mvc.perform(post("/console/campaigns").session(session).with(csrf()).param("name", name).param("language", "ko"));

        var mine = new Filter(account.id().value(), "campaigns.%", null, null, null, null, null);
        assertThat(access.search(mine, 10)).extracting(e -> e.action(), e -> e.subject(), e -> e.outcome())
                .containsExactly(tuple("campaigns.create", null, Outcome.REFUSED),
                        tuple("campaigns.active", id, Outcome.SUCCEEDED),
                        tuple("campaigns.qr", id, Outcome.SUCCEEDED),
                        tuple("campaigns.read", id, Outcome.SUCCEEDED),
                        tuple("campaigns.read", null, Outcome.SUCCEEDED),
                        tuple("campaigns.create", id, Outcome.SUCCEEDED));
    }

    /** The campaign's funnel as its page shows it, then as the list shows it. */
    private List<List<String>> funnels(MockHttpSession session, Campaign campaign)
            throws Exception {
        var page = Jsoup.parse(mvc.perform(get("/console/campaigns/" + campaign.id().value()).session(session))
                .andReturn().getResponse().getContentAsString());
        var list = Jsoup.parse(mvc.perform(get("/console/campaigns").session(session))
                .andReturn().getResponse().getContentAsString());
        var row = list.select("tbody tr").stream().filter(tr -> tr.selectFirst("th").text().equals(campaign.name()))
                .findFirst().orElseThrow();
        var listed = row.select("td").eachText();
        return List.of(page.select("table.funnel td").eachText(), listed.subList(listed.size() - 5, listed.size()));
    }

    /** A conversation started through the campaign (or none), with a case or without. */
    private ConversationId opened(Campaign campaign, boolean withCase) {
        var contact = conversations.findOrCreateContact("telegram", "campaign-console-" + UUID.randomUUID(), "ko");
        var conversation = conversations.openOrResumeConversation(contact, "ko", null,
                campaign == null ? null : campaign.id().value());
        if (withCase) {
            cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("group_size", "1"), "flow");
        } else {
            // without a case, the queue lists a conversation once he has said something
            conversations.recordInbound(conversation, "안녕하세요", null);
        }
        return conversation;
    }
}
