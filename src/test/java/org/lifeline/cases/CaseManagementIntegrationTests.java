package org.lifeline.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseLifecycle;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.IllegalTransition;
import org.lifeline.cases.lifecycle.InquiryOutcome;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.platform.Savepoints;
import org.lifeline.privacy.DataProtection;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

@SpringBootTest
@PersistenceTest
@RecordApplicationEvents
class CaseManagementIntegrationTests {

    @Autowired
    CaseManagement cases;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ApplicationEvents events;

    @Test
    void opensACaseWithAQuotableReferenceAndItsDetails() {
        var conversation = newConversation();
        var contact = conversations.conversation(conversation).contact();
        var details = new LinkedHashMap<String, String>();
        details.put("unit", "в/ч 12345");
        details.put("group_size", "3");
        details.put("location", "48.0159, 37.8028");

        var opened = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, details, "flow");

        assertThat(opened.reference()).matches("[" + CaseReferences.ALPHABET + "]{3}-[" + CaseReferences.ALPHABET
                + "]{3}");
        assertThat(opened)
                .returns(CaseStatus.NEW, CaseView::status)
                .returns(contact, CaseView::contact)
                .returns(conversation, CaseView::conversation)
                .returns(0L, CaseView::version);
        assertThat(opened.details()).containsExactly(Map.entry("unit", "в/ч 12345"), Map.entry("group_size", "3"),
                Map.entry("location", "48.0159, 37.8028"));
        assertThat(cases.find(opened.id())).contains(opened);
        assertThat(cases.history(opened.id()))
                .extracting(CaseTransition::from, CaseTransition::to, CaseTransition::actor)
                .containsExactly(tuple(null, CaseStatus.NEW, "flow"));
        assertThat(events.stream(CaseOpened.class)).containsExactly(new CaseOpened(opened.id()));
    }

    @Test
    void findsACaseByItsReferenceAsTypedOrSaid() {
        var opened = cases.open(CaseKind.FAMILY_INQUIRY, null, null, Map.of(), "operator.anna");
        var typed = " " + opened.reference().toLowerCase().replace("-", " ") + " ";

        assertThat(cases.findByReference(typed)).map(CaseView::id).contains(opened.id());
        assertThat(cases.findByReference(opened.reference().replace("-", ""))).isPresent();
        assertThat(cases.findByReference("K0M-4QX")).as("0 is not in the alphabet").isEmpty();
        assertThat(cases.findByReference(null)).isEmpty();
    }

    @Test
    void followsASurrenderRequestToTheEndRecordingWhoWhenAndWhy() {
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "flow");

        var current = cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), null, "operator.anna", 0);
        current = cases.transition(opened.id(), StatusChange.to(CaseStatus.VERIFIED), "Позывной «Бурый» подтверждён",
                "operator.anna", current.version());
        current = cases.transition(opened.id(), StatusChange.to(CaseStatus.HANDOVER_PLANNED), null, "coord.oleh",
                current.version());
        current = cases.transition(opened.id(), StatusChange.to(CaseStatus.VERIFIED), "Shelling, new window tomorrow",
                "coord.oleh", current.version());
        current = cases.transition(opened.id(), StatusChange.to(CaseStatus.HANDOVER_PLANNED), null, "coord.oleh",
                current.version());
        current = cases.transition(opened.id(), StatusChange.to(CaseStatus.SURRENDERED), null, "coord.oleh",
                current.version());

        assertThat(current).returns(CaseStatus.SURRENDERED, CaseView::status).returns(6L, CaseView::version);
        assertThat(CaseLifecycle.allowedNext(current.state())).isEmpty();
        var history = cases.history(opened.id());
        assertThat(history)
                .extracting(CaseTransition::version, CaseTransition::from, CaseTransition::to, CaseTransition::note,
                        CaseTransition::actor)
                .containsExactly(
                        tuple(0L, null, CaseStatus.NEW, null, "flow"),
                        tuple(1L, CaseStatus.NEW, CaseStatus.IN_CONTACT, null, "operator.anna"),
                        tuple(2L, CaseStatus.IN_CONTACT, CaseStatus.VERIFIED, "Позывной «Бурый» подтверждён",
                                "operator.anna"),
                        tuple(3L, CaseStatus.VERIFIED, CaseStatus.HANDOVER_PLANNED, null, "coord.oleh"),
                        tuple(4L, CaseStatus.HANDOVER_PLANNED, CaseStatus.VERIFIED, "Shelling, new window tomorrow",
                                "coord.oleh"),
                        tuple(5L, CaseStatus.VERIFIED, CaseStatus.HANDOVER_PLANNED, null, "coord.oleh"),
                        tuple(6L, CaseStatus.HANDOVER_PLANNED, CaseStatus.SURRENDERED, null, "coord.oleh"));
        assertThat(history).allSatisfy(entry -> assertThat(entry.at()).isNotNull());
        assertThat(events.stream(CaseStatusChanged.class)).hasSize(6)
                .containsOnly(new CaseStatusChanged(opened.id()));
    }

    @Test
    void answersAndClosesAFamilyInquiry() {
        var opened = cases.open(CaseKind.FAMILY_INQUIRY, null, null, Map.of("name", "Пак Мин Хо"), "flow");

        var searching = cases.transition(opened.id(), StatusChange.to(CaseStatus.SEARCHING), null, "operator.anna", 0);
        var answered = cases.transition(opened.id(), StatusChange.answer(InquiryOutcome.CAPTURED), null,
                "operator.anna", searching.version());
        var closed = cases.transition(opened.id(), StatusChange.close(CloseReason.ANSWER_DELIVERED), null,
                "operator.anna", answered.version());

        assertThat(closed)
                .returns(CaseStatus.CLOSED, CaseView::status)
                .returns(CloseReason.ANSWER_DELIVERED, CaseView::closeReason)
                .returns(InquiryOutcome.CAPTURED, CaseView::outcome);
        assertThat(cases.history(opened.id())).last()
                .returns(CloseReason.ANSWER_DELIVERED, CaseTransition::reason);
    }

    @Test
    void anAnsweredInquiryWhoseRequesterIsErasedIsClosedAsWithdrawnAndKeepsItsOutcome() {
        var conversation = newConversation();
        var contact = conversations.conversation(conversation).contact();
        var opened = cases.open(CaseKind.FAMILY_INQUIRY, contact, conversation, Map.of("name", "Пак Мин Хо"), "flow");
        var searching = cases.transition(opened.id(), StatusChange.to(CaseStatus.SEARCHING), null, "operator.anna", 0);
        cases.transition(opened.id(), StatusChange.answer(InquiryOutcome.NO_INFORMATION), null, "operator.anna",
                searching.version());

        conversations.forget(contact);

        // an erased case takes no change from an operator: left ANSWERED it would stay among the active cases, and
        // out of the closed cases' retention, for ever
        var erased = cases.find(opened.id()).orElseThrow();
        assertThat(erased)
                .returns(true, CaseView::erased)
                .returns(CaseStatus.CLOSED, CaseView::status)
                .returns(CloseReason.WITHDRAWN, CaseView::closeReason)
                .returns(InquiryOutcome.NO_INFORMATION, CaseView::outcome);
        assertThat(cases.active()).extracting(CaseView::id).doesNotContain(opened.id());
        assertThat(cases.history(opened.id())).last()
                .returns(CaseStatus.ANSWERED, CaseTransition::from)
                .returns(CloseReason.WITHDRAWN, CaseTransition::reason)
                .returns(CaseManagement.REQUESTER, CaseTransition::actor);
    }

    @Test
    void reopensASurrenderRequestWhenHeComesBackAfterLostContact() {
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "flow");
        var inContact = cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), null, "flow", 0);
        var lost = cases.transition(opened.id(), StatusChange.close(CloseReason.LOST_CONTACT), "No answer for 5 days",
                "operator.anna", inContact.version());

        var back = cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), null, "flow", lost.version());

        assertThat(back).returns(CaseStatus.IN_CONTACT, CaseView::status).returns(null, CaseView::closeReason);
    }

    @Test
    void refusesAnIllegalTransitionAndChangesNothing() {
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "flow");

        assertThatThrownBy(() -> cases.transition(opened.id(), StatusChange.to(CaseStatus.SURRENDERED), null,
                "operator.anna", 0))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A surrender request cannot go from NEW to SURRENDERED; allowed next: IN_CONTACT, CLOSED");
        assertThat(cases.find(opened.id())).get().returns(CaseStatus.NEW, CaseView::status)
                .returns(0L, CaseView::version);
        assertThat(cases.history(opened.id())).hasSize(1);
    }

    @Test
    void refusesAChangeBasedOnAStaleVersion() {
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "flow");
        cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), null, "operator.anna", 0);

        assertThatThrownBy(() -> cases.transition(opened.id(), StatusChange.close(CloseReason.DUPLICATE), null,
                "operator.boris", 0))
                .isInstanceOf(OptimisticLockingFailureException.class)
                .hasMessageContaining("reload it and try again");
        assertThatThrownBy(() -> cases.updateDetails(opened.id(), Map.of("unit", "x"), 0))
                .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(cases.find(opened.id())).get().returns(CaseStatus.IN_CONTACT, CaseView::status);
    }

    @Test
    void ofOperatorsChangingOneVersionAtOnceExactlyOneSucceeds() throws Exception {
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "flow");
        var start = new CountDownLatch(1);
        var outcomes = new ArrayList<CompletableFuture<String>>();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                var operator = "operator." + i;
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), null, operator, 0);
                        return "changed";
                    } catch (OptimisticLockingFailureException e) {
                        return "stale";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return "interrupted";
                    }
                }, pool));
            }
            start.countDown();

            assertThat(outcomes.stream().map(CompletableFuture::join))
                    .containsExactlyInAnyOrder("changed", "stale", "stale", "stale");
        }
        assertThat(cases.history(opened.id())).hasSize(2);
    }

    @Test
    void replacesTheDetails() {
        var opened = cases.open(CaseKind.FAMILY_INQUIRY, null, null, Map.of("name", "Иван"), "flow");

        var updated = cases.updateDetails(opened.id(), Map.of("name", "Иван Петров", "birth_date", "1999-04-01"), 0);

        assertThat(updated.details()).containsOnly(Map.entry("name", "Иван Петров"),
                Map.entry("birth_date", "1999-04-01"));
        assertThat(updated.version()).isOne();
        assertThat(cases.find(opened.id())).get().returns(updated.details(), CaseView::details);
    }

    @Test
    void refusesAConversationOfAnotherContact() {
        var conversation = newConversation();
        var otherContact = conversations.conversation(newConversation()).contact();

        assertThatThrownBy(() -> cases.open(CaseKind.SURRENDER_REQUEST, otherContact, conversation, Map.of(), "flow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(conversation.value().toString());
    }

    @Test
    void refusesFreeTextWhereNamesBelongWithoutRepeatingIt() {
        assertThatThrownBy(() -> cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "Анна Ковальчук"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actor")
                .hasMessageNotContaining("Анна");
        assertThatThrownBy(() -> cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of("Иван Петров", "x"),
                "flow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Иван");
    }

    @Test
    void triesAnotherReferenceWhenOneIsTaken(@Autowired Cases repository, @Autowired DataProtection protection,
            @Autowired ApplicationEventPublisher publisher, @Autowired Clock clock,
            @Autowired Savepoints savepoints) {
        var taken = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "flow").reference();
        var fresh = new CaseReferences().next();
        var offered = new ArrayDeque<>(List.of(taken, taken, fresh));
        var unlucky = new CaseManagement(repository, conversations, protection, publisher, clock, savepoints,
                new CaseReferences() {
                    @Override
                    String next() {
                        return offered.poll();
                    }
                });

        var opened = unlucky.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of(), "flow");

        assertThat(opened.reference()).isEqualTo(fresh);
        assertThat(offered).isEmpty();
    }

    private ConversationId newConversation() {
        var contact = conversations.findOrCreateContact("telegram", java.util.UUID.randomUUID().toString(), null);
        return conversations.openOrResumeConversation(contact, null, null);
    }
}
