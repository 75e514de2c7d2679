package org.lifeline.cases.lifecycle;

import static org.lifeline.cases.lifecycle.CaseStatus.ANSWERED;
import static org.lifeline.cases.lifecycle.CaseStatus.CLOSED;
import static org.lifeline.cases.lifecycle.CaseStatus.HANDOVER_PLANNED;
import static org.lifeline.cases.lifecycle.CaseStatus.IN_CONTACT;
import static org.lifeline.cases.lifecycle.CaseStatus.NEW;
import static org.lifeline.cases.lifecycle.CaseStatus.SEARCHING;
import static org.lifeline.cases.lifecycle.CaseStatus.SURRENDERED;
import static org.lifeline.cases.lifecycle.CaseStatus.VERIFIED;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The transitions of both case kinds.
 * <pre>
 * surrender request: NEW → IN_CONTACT → VERIFIED → HANDOVER_PLANNED → SURRENDERED (final)
 *                    HANDOVER_PLANNED → VERIFIED (the plan fell through)
 *                    any but SURRENDERED → CLOSED with WITHDRAWN, LOST_CONTACT, PROVOCATION, DUPLICATE, NOT_ELIGIBLE
 *                    CLOSED as LOST_CONTACT → IN_CONTACT (he came back); otherwise CLOSED is final
 * family inquiry:    NEW → SEARCHING → ANSWERED (CAPTURED or NO_INFORMATION) → CLOSED as ANSWER_DELIVERED (final)
 *                    NEW, SEARCHING → CLOSED with WITHDRAWN, DUPLICATE, PROVOCATION
 *                    ANSWERED → CLOSED as WITHDRAWN (the relative withdrew, or had his data erased, before the
 *                    answer reached him)
 * </pre>
 * A handover is planned for a verified surrender request and re-planned while planned. A {@link #finished} case
 * (CLOSED or SURRENDERED) changes no more, in its details or its assignee; only its status, where the table above
 * lets it.
 */
public final class CaseLifecycle {

    private static final Map<CaseStatus, Set<CaseStatus>> SURRENDER = Map.of(
            NEW, EnumSet.of(IN_CONTACT, CLOSED),
            IN_CONTACT, EnumSet.of(VERIFIED, CLOSED),
            VERIFIED, EnumSet.of(HANDOVER_PLANNED, CLOSED),
            HANDOVER_PLANNED, EnumSet.of(SURRENDERED, VERIFIED, CLOSED));

    private static final Map<CaseStatus, Set<CaseStatus>> INQUIRY = Map.of(
            NEW, EnumSet.of(SEARCHING, CLOSED),
            SEARCHING, EnumSet.of(ANSWERED, CLOSED),
            ANSWERED, EnumSet.of(CLOSED));

    private static final Set<CloseReason> SURRENDER_REASONS = EnumSet.of(CloseReason.WITHDRAWN,
            CloseReason.LOST_CONTACT, CloseReason.PROVOCATION, CloseReason.DUPLICATE, CloseReason.NOT_ELIGIBLE);

    private static final Set<CloseReason> INQUIRY_REASONS = EnumSet.of(CloseReason.WITHDRAWN,
            CloseReason.DUPLICATE, CloseReason.PROVOCATION);

    private CaseLifecycle() {
    }

    /**
     * The state after the change.
     *
     * @throws IllegalTransition if the change is not allowed from this state, or lacks or misplaces its reason or
     *         outcome
     */
    public static CaseState apply(CaseState current, StatusChange change) {
        var kind = current.kind();
        var to = change.to();
        var next = allowedNext(current);
        if (!next.contains(to)) {
            throw new IllegalTransition("%s cannot go from %s to %s; allowed next: %s".formatted(kind.description(),
                    describe(current), to, next.isEmpty() ? "none, " + describe(current) + " is final" : list(next)));
        }
        if (change.reason() != null && to != CLOSED || change.outcome() != null && to != ANSWERED) {
            throw new IllegalTransition("A reason is given only when closing a case, an outcome only when answering "
                    + "a family inquiry");
        }
        return switch (to) {
            case CLOSED -> {
                var reasons = closeReasons(current);
                if (!reasons.contains(change.reason())) {
                    throw new IllegalTransition("%s is closed from %s with one of the reasons %s%s".formatted(
                            kind.description(), current.status(), list(reasons),
                            change.reason() == null ? "" : ", not " + change.reason()));
                }
                yield new CaseState(kind, CLOSED, change.reason(), current.outcome());
            }
            case ANSWERED -> {
                if (change.outcome() == null) {
                    throw new IllegalTransition("A family inquiry is answered with an outcome: "
                            + list(EnumSet.allOf(InquiryOutcome.class)));
                }
                yield new CaseState(kind, ANSWERED, null, change.outcome());
            }
            default -> new CaseState(kind, to, null, current.outcome());
        };
    }

    /** The statuses that may follow; none for a final state. */
    public static Set<CaseStatus> allowedNext(CaseState current) {
        if (current.kind() == CaseKind.SURRENDER_REQUEST && current.status() == CLOSED) {
            return current.closeReason() == CloseReason.LOST_CONTACT ? EnumSet.of(IN_CONTACT) : Set.of();
        }
        var table = current.kind() == CaseKind.SURRENDER_REQUEST ? SURRENDER : INQUIRY;
        return table.getOrDefault(current.status(), Set.of());
    }

    /** Closed or surrendered: from here only the transitions above change the case, nothing else. */
    public static boolean finished(CaseState current) {
        return current.status() == CLOSED || current.status() == SURRENDERED;
    }

    /** A surrender request verified (its handover to plan) or with a handover planned (the plan to change). */
    public static boolean handoverPlannable(CaseState current) {
        return current.kind() == CaseKind.SURRENDER_REQUEST
                && (current.status() == VERIFIED || current.status() == HANDOVER_PLANNED);
    }

    /** The reasons a case may be closed with from this state. */
    public static Set<CloseReason> closeReasons(CaseState current) {
        if (!allowedNext(current).contains(CLOSED)) {
            return Set.of();
        }
        if (current.kind() == CaseKind.SURRENDER_REQUEST) {
            return SURRENDER_REASONS;
        }
        return current.status() == ANSWERED ? EnumSet.of(CloseReason.ANSWER_DELIVERED, CloseReason.WITHDRAWN)
                : INQUIRY_REASONS;
    }

    private static String describe(CaseState state) {
        return state.status() == CLOSED ? "CLOSED (" + state.closeReason() + ")" : state.status().name();
    }

    private static String list(Set<? extends Enum<?>> values) {
        return values.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }
}
