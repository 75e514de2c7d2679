package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.Reachability;
import org.lifeline.operators.Role;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.ConsoleTest;

/** The case page's forms through the whole chain: what they change, what they refuse, and what they record. */
@ConsoleTest
class CaseConsoleIntegrationTests extends ConsoleFixture {

    private ContactId contact;
    private CaseView kase;

    @BeforeEach
    void openACase() {
        kase = openCase("case", "ko", Map.of("group_size", "2"));
        contact = kase.contact();
    }

    @Test
    void recordsOpeningTheCaseAndItsTranscriptAndEveryChange() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        var id = kase.id().value().toString();

        mvc.perform(get("/console/cases/" + id).session(session)).andExpect(status().isOk());
        mvc.perform(post("/console/cases/" + id + "/status").session(session).with(csrf())
                        .param("to", "IN_CONTACT").param("reason", "He answered").param("version", "0"))
                .andExpect(redirectedUrl("/console/cases/" + id));

        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.IN_CONTACT);
        assertThat(access.latest(10)).extracting(AccessRecord.Entry::action, AccessRecord.Entry::subject)
                .contains(tuple("case.read", id),
                        tuple("transcript.read", kase.conversation().value().toString()),
                        tuple("case.status", id));
    }

    @Test
    void theTranscriptShowsEachMessageFromItsKindInTheOperatorsLanguage() throws Exception {
        conversations.recordInbound(kase.conversation(), new MessageContent.Location(48.0159, 37.8029), null);
        conversations.recordInbound(kase.conversation(), new MessageContent.Photo("Это мой брат"), null);
        conversations.recordInbound(kase.conversation(),
                new MessageContent.Call(MessageContent.CallEvent.NOT_ANSWERED, null, null, "busy", null), null);
        conversations.recordInbound(kase.conversation(), new MessageContent.Voicemail(12), null);
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        var html = mvc.perform(get("/console/cases/" + kase.id().value()).session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(org.jsoup.Jsoup.parse(html).select("ol.transcript li.inbound > p[dir]").eachText()).containsSubsequence(
                "Надіслав місцезнаходження: 48.015900, 37.802900", "Надіслав фото Это мой брат",
                "Дзвінок без відповіді (busy)", "Залишив голосове повідомлення, 12 с");
    }

    @Test
    void refusesAStatusChangeWithoutCsrfToken() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        mvc.perform(post("/console/cases/" + kase.id().value() + "/status").session(session)
                        .param("to", "IN_CONTACT").param("reason", "He answered").param("version", "0"))
                .andExpect(status().isForbidden());

        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.NEW);
    }

    @Test
    void refusesAStatusChangeWithoutReason() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        mvc.perform(post("/console/cases/" + kase.id().value() + "/status").session(session).with(csrf())
                        .param("to", "IN_CONTACT").param("reason", " ").param("version", "0"))
                .andExpect(flash().attribute("problem", "Для зміни статусу потрібна причина."));

        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.NEW);
    }

    @Test
    void holdsBackAFreeTextReplyThatDoesNotLookLikeTheRequestersLanguage() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        mvc.perform(post("/console/conversations/" + kase.conversation().value() + "/replies").session(session)
                        .with(csrf()).param("text", "Здравствуйте, вы в безопасности?"))
                .andExpect(redirectedUrl("/console/cases/" + kase.id().value()))
                .andExpect(flash().attribute("draft", "Здравствуйте, вы в безопасности?"));

        assertThat(conversations.transcript(kase.conversation())).noneMatch(m -> m.direction() == Direction.OUTBOUND);
    }

    @Test
    void markingAProvocationClosesTheCaseAndBlocksTheContact() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        mvc.perform(post("/console/cases/" + kase.id().value() + "/provocation").session(session).with(csrf())
                        .param("reason", "Asks for unit positions").param("version", "0"))
                .andExpect(redirectedUrl("/console/cases/" + kase.id().value()));

        assertThat(cases.find(kase.id()).orElseThrow().closeReason()).isEqualTo(CloseReason.PROVOCATION);
        assertThat(conversations.contact(contact).reachability()).isEqualTo(Reachability.BLOCKED);
    }

    @Test
    void closingAsDuplicateLinksTheOriginal() throws Exception {
        var original = cases.open(CaseKind.SURRENDER_REQUEST, contact, null, Map.of(), "test");
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        mvc.perform(post("/console/cases/" + kase.id().value() + "/status").session(session).with(csrf())
                        .param("to", "CLOSED").param("closeReason", "DUPLICATE").param("duplicateOf", original.reference())
                        .param("reason", "Wrote twice").param("version", "0"))
                .andExpect(redirectedUrl("/console/cases/" + kase.id().value()));

        var closed = cases.find(kase.id()).orElseThrow();
        assertThat(closed.closeReason()).isEqualTo(CloseReason.DUPLICATE);
        assertThat(closed.details()).containsEntry("duplicate_of", original.reference());
    }

    @Test
    void aClosedCaseOffersOnlyTheStatusChangesItsLifecycleAllowsAndAnErasedOneNone() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        cases.transition(kase.id(), StatusChange.close(CloseReason.LOST_CONTACT), "silent", "test", 0);

        var closed = workForms(session);
        assertThat(closed.select("form[action$=/assignee]")).as("no assignment").isEmpty();
        assertThat(closed.select("form[action$=/status] option[value=IN_CONTACT]")).as("reopening").hasSize(1);

        conversations.forget(contact);
        var erased = workForms(session);
        assertThat(erased.select("form[action$=/assignee], form[action$=/status], form[action$=/provocation]"))
                .isEmpty();
    }

    private org.jsoup.nodes.Element workForms(org.springframework.mock.web.MockHttpSession session) throws Exception {
        var html = mvc.perform(get("/console/cases/" + kase.id().value()).session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        return org.jsoup.Jsoup.parse(html).selectFirst("section[aria-labelledby=work]");
    }

    @Test
    void theCoordinatorPlansTheHandoverAndRecordsTheOutcome() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        var id = kase.id().value().toString();
        for (var to : new String[] {"IN_CONTACT", "VERIFIED"}) {
            var version = cases.find(kase.id()).orElseThrow().version();
            mvc.perform(post("/console/cases/" + id + "/status").session(operator).with(csrf()).param("to", to)
                    .param("reason", "checked").param("version", Long.toString(version)));
        }
        var coordinator = accounts.signIn(accounts.create(Role.COORDINATOR));
        var version = cases.find(kase.id()).orElseThrow().version();

        mvc.perform(post("/console/handovers/" + id + "/plan").session(coordinator).with(csrf())
                        .param("grid", "37UDQ0650017950").param("window", "05:00-06:00").param("sector", "4")
                        .param("instructions", "meeting-point").param("version", Long.toString(version)))
                .andExpect(redirectedUrl("/console/handovers"));
        var planned = cases.find(kase.id()).orElseThrow();
        assertThat(planned.status()).isEqualTo(CaseStatus.HANDOVER_PLANNED);
        assertThat(planned.details()).containsEntry("handover.grid", "37UDQ0650017950");

        mvc.perform(post("/console/handovers/" + id + "/outcome").session(coordinator).with(csrf())
                        .param("outcome", "SURRENDERED").param("reason", "Came over at 05:20")
                        .param("version", Long.toString(planned.version())))
                .andExpect(redirectedUrl("/console/handovers"));
        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.SURRENDERED);
        assertThat(access.latest(10)).extracting(AccessRecord.Entry::action)
                .contains("case.handover-plan", "case.handover-outcome");
    }

    @Test
    void theCoordinatorViewShowsAVerifiedRequestWithoutALocation() throws Exception {
        // he did not know where he was (or his data was erased): the case has no location at all
        var version = cases.transition(kase.id(), StatusChange.to(CaseStatus.IN_CONTACT), "talking", "test", 0).version();
        cases.transition(kase.id(), StatusChange.to(CaseStatus.VERIFIED), "checked", "test", version);
        var coordinator = accounts.signIn(accounts.create(Role.COORDINATOR));

        var page = mvc.perform(get("/console/handovers").session(coordinator))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(page).contains(kase.reference());
    }
}
