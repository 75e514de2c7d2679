package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

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
import org.lifeline.operators.Role;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.testing.ConsoleTest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Every way the console refuses a change that a service turned down: the operator is sent back to the page with the
 * reason (not a 500), nothing of the change is kept, and the access record keeps the refusal.
 */
@ConsoleTest
class ConsoleRefusalsIntegrationTests extends ConsoleFixture {

    private static final String NOT_READY = "Передачу планують лише для перевіреної заявки на здачу в полон "
            + "(VERIFIED), а змінюють план, поки передачу заплановано (HANDOVER_PLANNED).";
    private static final String FINISHED = "Справу закрито або заявник уже перейшов (SURRENDERED): її більше не "
            + "змінюють. Справу, закриту як LOST_CONTACT, відкривають знову, змінивши статус на IN_CONTACT.";
    private static final String ERASED = "Заявник видалив свої дані: тепер ця справа — лише анонімний результат, "
            + "і її більше не змінюють.";

    private ContactId contact;
    private CaseView kase;
    private String id;

    @BeforeEach
    void openACase() {
        kase = openCase("refusal", "ko", Map.of("group_size", "2"));
        contact = kase.contact();
        id = kase.id().value().toString();
    }

    @Test
    void aTransitionTheLifecycleForbidsIsShownAndRecorded() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));

        post(operator, "/console/cases/" + id + "/status", "to", "SURRENDERED", "reason", "jumped ahead", "version", "0")
                .andExpect(redirectedUrl("/console/cases/" + id))
                .andExpect(flash().attribute("problem", org.hamcrest.Matchers.containsString("SURRENDERED")));

        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.NEW);
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void aStatusChangeOnAStaleVersionIsShownAndRecorded() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        cases.transition(kase.id(), StatusChange.to(CaseStatus.IN_CONTACT), "meanwhile", "someone-else", 0);

        post(operator, "/console/cases/" + id + "/status", "to", "VERIFIED", "reason", "checked", "version", "0")
                .andExpect(redirectedUrl("/console/cases/" + id))
                .andExpect(flash().attributeExists("problem"));

        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.IN_CONTACT);
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void aDuplicateWithoutAnOriginalIsShownRecordedAndChangesNothing() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));

        post(operator, "/console/cases/" + id + "/status", "to", "CLOSED", "closeReason", "DUPLICATE",
                "duplicateOf", "NO-SUCH-REF", "reason", "wrote twice", "version", "0")
                .andExpect(flash().attribute("problem", "Вкажіть номер справи, дублікатом якої є ця."));

        var unchanged = cases.find(kase.id()).orElseThrow();
        assertThat(unchanged.status()).isEqualTo(CaseStatus.NEW);
        assertThat(unchanged.details()).doesNotContainKey("duplicate_of");
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void aProvocationOnAStaleVersionLeavesTheContactReachableAndIsRecorded() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        cases.transition(kase.id(), StatusChange.to(CaseStatus.IN_CONTACT), "meanwhile", "someone-else", 0);

        post(operator, "/console/cases/" + id + "/provocation", "reason", "asks for positions", "version", "0")
                .andExpect(redirectedUrl("/console/cases/" + id))
                .andExpect(flash().attributeExists("problem"));

        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.IN_CONTACT);
        assertThat(conversations.contact(contact).reachability().name()).isEqualTo("REACHABLE");
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void anAssignmentOnAStaleVersionIsShownAndRecorded() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        cases.transition(kase.id(), StatusChange.to(CaseStatus.IN_CONTACT), "meanwhile", "someone-else", 0);

        post(operator, "/console/cases/" + id + "/assignee", "version", "0")
                .andExpect(redirectedUrl("/console/cases/" + id))
                .andExpect(flash().attributeExists("problem"));

        assertThat(cases.find(kase.id()).orElseThrow().assignee()).isNull();
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void aCannedReplyByAKeyNoFormOffersIsABadRequestThatNamesNoKeyAndQueuesNothing() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        var key = "Жмышенко Валерий Альбертович";

        var result = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .post("/console/conversations/" + kase.conversation().value() + "/replies").session(operator)
                        .with(csrf()).param("canned", key)).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResolvedException()).isNotNull();
        assertThat(result.getResolvedException().getMessage()).doesNotContain(key);
        assertThat(conversations.transcript(kase.conversation())).noneMatch(m -> m.direction() == Direction.OUTBOUND);
    }

    @Test
    void aReplyToAForgottenContactIsShownAndRecordedAndNothingIsQueued() throws Exception {
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        var conversation = kase.conversation().value().toString();
        conversations.forget(contact);

        post(operator, "/console/conversations/" + conversation + "/replies", "text", "안녕하세요")
                .andExpect(flash().attribute("problem", org.hamcrest.Matchers.startsWith("На цю розмову не можна відповісти")));

        assertThat(conversations.transcript(kase.conversation())).noneMatch(m -> m.direction() == Direction.OUTBOUND);
        assertRefusalRecorded("conversation.reply", conversation);
    }

    @Test
    void aHandoverPlanOnAStaleVersionIsShownAndRecorded() throws Exception {
        verify();
        var coordinator = accounts.signIn(accounts.create(Role.COORDINATOR));

        post(coordinator, "/console/handovers/" + id + "/plan", "grid", "37UDQ0650017950", "window", "05:00-06:00",
                "version", "0")
                .andExpect(redirectedUrl("/console/handovers"))
                .andExpect(flash().attributeExists("problem"));

        var unchanged = cases.find(kase.id()).orElseThrow();
        assertThat(unchanged.status()).isEqualTo(CaseStatus.VERIFIED);
        assertThat(unchanged.details()).doesNotContainKey("handover.grid");
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void aHandoverOutcomeBeforeAnyPlanIsShownAndRecorded() throws Exception {
        var coordinator = accounts.signIn(accounts.create(Role.COORDINATOR));

        post(coordinator, "/console/handovers/" + id + "/outcome", "outcome", "SURRENDERED", "reason", "came over",
                "version", "0")
                .andExpect(redirectedUrl("/console/handovers"))
                .andExpect(flash().attributeExists("problem"));

        assertThat(cases.find(kase.id()).orElseThrow().status()).isEqualTo(CaseStatus.NEW);
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void aHandoverPlanForACaseNotVerifiedClosedOrAFamilyInquiryIsShownRecordedAndChangesNothing() throws Exception {
        var coordinator = accounts.signIn(accounts.create(Role.COORDINATOR));
        var fresh = openCase("refusal", "ru", Map.of());
        var provocation = cases.transition(fresh.id(), StatusChange.close(CloseReason.PROVOCATION),
                "asks for positions", "test", 0);
        var inquiry = cases.open(CaseKind.FAMILY_INQUIRY, contact, null, Map.of(), "test");

        for (var target : new CaseView[] {kase, provocation, inquiry}) {
            var targetId = target.id().value().toString();
            post(coordinator, "/console/handovers/" + targetId + "/plan", "grid", "37UDQ0650017950",
                    "window", "05:00-06:00", "version", Long.toString(target.version()))
                    .andExpect(redirectedUrl("/console/handovers"))
                    .andExpect(flash().attribute("problem", NOT_READY));

            var unchanged = cases.find(target.id()).orElseThrow();
            assertThat(unchanged.status()).isEqualTo(target.status());
            assertThat(unchanged.version()).isEqualTo(target.version());
            assertThat(unchanged.details()).doesNotContainKey("handover.window");
            assertRefusalRecorded("case.change", targetId);
        }
    }

    @Test
    void claimingOrAssigningAClosedCaseIsShownRecordedAndChangesNothing() throws Exception {
        var supervisor = accounts.signIn(accounts.create(Role.SUPERVISOR));
        var closed = cases.transition(kase.id(), StatusChange.close(CloseReason.NOT_ELIGIBLE), "an officer", "test", 0);

        for (var assignee : new String[] {"", "-"}) {
            post(supervisor, "/console/cases/" + id + "/assignee", "assignee", assignee,
                    "version", Long.toString(closed.version()))
                    .andExpect(redirectedUrl("/console/cases/" + id))
                    .andExpect(flash().attribute("problem", FINISHED));
        }

        var unchanged = cases.find(kase.id()).orElseThrow();
        assertThat(unchanged.assignee()).isNull();
        assertThat(unchanged.version()).isEqualTo(closed.version());
        assertThat(unchanged.updatedAt()).isEqualTo(closed.updatedAt());
        assertRefusalRecorded("case.change", id);
    }

    @Test
    void aHandoverPlanOrADuplicateForAnErasedRequesterIsShownAndRecorded() throws Exception {
        verify();
        var original = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "test");
        conversations.forget(contact);
        var erased = cases.find(kase.id()).orElseThrow();
        var version = Long.toString(erased.version());
        var coordinator = accounts.signIn(accounts.create(Role.COORDINATOR));
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));

        post(coordinator, "/console/handovers/" + id + "/plan", "grid", "37UDQ0650017950", "window", "05:00-06:00",
                "version", version)
                .andExpect(redirectedUrl("/console/handovers"))
                .andExpect(flash().attribute("problem", ERASED));
        post(operator, "/console/cases/" + id + "/status", "to", "CLOSED", "closeReason", "DUPLICATE",
                "duplicateOf", original.reference(), "reason", "wrote twice", "version", version)
                .andExpect(redirectedUrl("/console/cases/" + id))
                .andExpect(flash().attribute("problem", ERASED));

        assertThat(cases.find(kase.id()).orElseThrow().version()).isEqualTo(erased.version());
        assertThat(access.latest(50)).filteredOn(e -> id.equals(e.subject()) && e.outcome() == Outcome.REFUSED)
                .extracting(e -> e.action()).containsExactly("case.change", "case.change");
    }

    private void verify() {
        var version = cases.transition(kase.id(), StatusChange.to(CaseStatus.IN_CONTACT), "answered", "test", 0).version();
        cases.transition(kase.id(), StatusChange.to(CaseStatus.VERIFIED), "checked", "test", version);
    }

    private ResultActions post(MockHttpSession session, String path, String... params) throws Exception {
        var request = org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path).session(session).with(csrf());
        for (int i = 0; i < params.length; i += 2) {
            request.param(params[i], params[i + 1]);
        }
        return mvc.perform(request);
    }

    private void assertRefusalRecorded(String action, String subject) {
        assertThat(access.latest(50)).filteredOn(e -> subject.equals(e.subject()))
                .anySatisfy(entry -> {
                    assertThat(entry.action()).isEqualTo(action);
                    assertThat(entry.outcome()).isEqualTo(Outcome.REFUSED);
                });
    }
}
