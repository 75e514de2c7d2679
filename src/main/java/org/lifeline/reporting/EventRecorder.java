package org.lifeline.reporting;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseOpened;
import org.lifeline.cases.CaseStatusChanged;
import org.lifeline.cases.CaseTransition;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.conversations.ContactForgotten;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationOpened;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.OutboundDeliveryChanged;
import org.lifeline.platform.Languages;
import org.lifeline.reporting.EventHistory.Dimensions;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns the events of conversations and cases into rows of the anonymous history. Each listener runs in the
 * publisher's transaction, so a step and its row commit or roll back together: nothing is counted that did not
 * happen, and nothing that happened is lost. The events carry ids only; the listener reads the categories it needs
 * (channel, language, campaign, kind, status) while the ids still resolve, and keeps none of the ids.
 */
@Component
class EventRecorder {

    /** Funnel stages counted once per case: the first time it reaches them. */
    private static final Set<CaseStatus> STAGES = EnumSet.of(CaseStatus.VERIFIED, CaseStatus.HANDOVER_PLANNED,
            CaseStatus.SURRENDERED);
    /** The actor of the closing when a requester has his data erased (see {@code CaseManagement.eraseCasesOf}). */
    private static final String REQUESTER = "requester";

    private final EventHistory history;
    private final ConversationManagement conversations;
    private final CaseManagement cases;
    private final Clock clock;

    EventRecorder(EventHistory history, ConversationManagement conversations, CaseManagement cases, Clock clock) {
        this.history = history;
        this.conversations = conversations;
        this.cases = cases;
        this.clock = clock;
    }

    @EventListener
    void on(ConversationOpened event) {
        var conversation = conversations.conversation(event.conversation());
        history.record(ReportEvent.REQUEST_STARTED, conversation.openedAt(), dimensions(event.conversation()), null,
                null, null);
    }

    @EventListener
    void on(CaseOpened event) {
        var kase = cases.find(event.caseId()).orElseThrow();
        var dimensions = kase.conversation() == null ? Dimensions.NONE : dimensions(kase.conversation());
        var kind = kase.kind().name();
        history.record(ReportEvent.CASE_OPENED, kase.createdAt(), dimensions, kind, null, null);
        if (kase.conversation() != null) {
            history.record(ReportEvent.INTAKE_COMPLETED, kase.createdAt(), dimensions, kind, null, null);
        }
    }

    /**
     * Published for transitions, but also for assignments and erasures: only a transition made by this change (the
     * last one in the history, at the case's current version) is counted.
     */
    @EventListener
    void on(CaseStatusChanged event) {
        var kase = cases.find(event.caseId()).orElse(null);
        if (kase == null) {
            return;
        }
        var transitions = cases.history(event.caseId());
        var last = transitions.getLast();
        if (!madeBy(kase, last)) {
            return;
        }
        var dimensions = kase.conversation() == null ? Dimensions.NONE : dimensions(kase.conversation());
        var kind = kase.kind().name();
        if (last.to() == CaseStatus.CLOSED) {
            history.record(ReportEvent.CASE_CLOSED, last.at(), dimensions, kind, last.reason().name(), null);
        } else if (STAGES.contains(last.to()) && transitions.stream()
                .noneMatch(t -> t.version() < last.version() && t.to() == last.to())) {
            history.record(ReportEvent.valueOf(last.to().name()), last.at(), dimensions, kind, null, null);
        }
    }

    /**
     * A transition bumps the version to its own; an erasure closes an open case as withdrawn by the requester and
     * then bumps the version once more; an assignment bumps it without a transition.
     */
    private static boolean madeBy(CaseView kase, CaseTransition last) {
        if (last.version() == 0) {
            return false;
        }
        if (last.version() == kase.version()) {
            return true;
        }
        return kase.erased() && last.version() == kase.version() - 1 && last.to() == CaseStatus.CLOSED
                && last.reason() == CloseReason.WITHDRAWN && REQUESTER.equals(last.actor());
    }

    /**
     * A message counts as delivered once, when it first leaves successfully: accepted by the channel (Telegram and
     * most channels report no more than that) or confirmed straight away (the web chat). A later confirmation of an
     * accepted message adds nothing; a failure counts whenever it happens, so an attempt accepted and then reported
     * failed counts in both.
     */
    @EventListener
    void on(OutboundDeliveryChanged event) {
        var failed = event.to() == DeliveryState.FAILED;
        if (failed || event.from() == DeliveryState.PENDING) {
            history.record(failed ? ReportEvent.FAILED : ReportEvent.DELIVERED, clock.instant(),
                    dimensions(event.conversation()), null, null, null);
        }
    }

    /** His conversations' answer marks name them: they go with the rest of his data. */
    @EventListener
    void on(ContactForgotten event) {
        history.unmark(conversations.conversationsOf(event.contact()));
    }

    Dimensions dimensions(ConversationId id) {
        var conversation = conversations.conversation(id);
        return new Dimensions(conversation.channel(), servedOrOther(conversation.language()), conversation.campaign());
    }

    /**
     * A language the service talks in, or {@link Report#OTHER_LANGUAGE}: the conversation starts in the phone's own
     * language, and a rare one (one Chechen phone among Russian ones) would single its owner out in the figures.
     */
    static String servedOrOther(String language) {
        return language == null || Languages.find(language).isPresent() ? language : Report.OTHER_LANGUAGE;
    }
}
