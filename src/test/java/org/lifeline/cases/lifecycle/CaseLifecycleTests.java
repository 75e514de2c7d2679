package org.lifeline.cases.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lifeline.cases.lifecycle.CaseKind.FAMILY_INQUIRY;
import static org.lifeline.cases.lifecycle.CaseKind.SURRENDER_REQUEST;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The state machines against a transition table written out here independently of {@link CaseLifecycle}: worked
 * examples, every possible change from every reachable state, and long random sequences of attempts.
 */
class CaseLifecycleTests {

    /** kind, from (CLOSED/reason for a closed case), to (with /reason or /outcome); "|" separates alternatives. */
    private static final List<String> ALLOWED_TABLE = List.of(
            "SURRENDER_REQUEST NEW -> IN_CONTACT",
            "SURRENDER_REQUEST IN_CONTACT -> VERIFIED",
            "SURRENDER_REQUEST VERIFIED -> HANDOVER_PLANNED",
            "SURRENDER_REQUEST HANDOVER_PLANNED -> SURRENDERED",
            "SURRENDER_REQUEST HANDOVER_PLANNED -> VERIFIED",
            "SURRENDER_REQUEST NEW|IN_CONTACT|VERIFIED|HANDOVER_PLANNED -> "
                    + "CLOSED/WITHDRAWN|CLOSED/LOST_CONTACT|CLOSED/PROVOCATION|CLOSED/DUPLICATE|CLOSED/NOT_ELIGIBLE",
            "SURRENDER_REQUEST CLOSED/LOST_CONTACT -> IN_CONTACT",
            "FAMILY_INQUIRY NEW -> SEARCHING",
            "FAMILY_INQUIRY SEARCHING -> ANSWERED/CAPTURED|ANSWERED/NO_INFORMATION",
            "FAMILY_INQUIRY ANSWERED -> CLOSED/ANSWER_DELIVERED|CLOSED/WITHDRAWN",
            "FAMILY_INQUIRY NEW|SEARCHING -> CLOSED/WITHDRAWN|CLOSED/DUPLICATE|CLOSED/PROVOCATION");

    private static final Set<String> ALLOWED = expand(ALLOWED_TABLE);

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
            "SURRENDER_REQUEST, NEW, IN_CONTACT",
            "SURRENDER_REQUEST, IN_CONTACT, VERIFIED",
            "SURRENDER_REQUEST, VERIFIED, HANDOVER_PLANNED",
            "SURRENDER_REQUEST, HANDOVER_PLANNED, SURRENDERED",
            "SURRENDER_REQUEST, HANDOVER_PLANNED, VERIFIED",
            "FAMILY_INQUIRY, NEW, SEARCHING"})
    void allowsTheForwardSteps(CaseKind kind, CaseStatus from, CaseStatus to) {
        var next = CaseLifecycle.apply(new CaseState(kind, from, null, null), StatusChange.to(to));

        assertThat(next).isEqualTo(new CaseState(kind, to, null, null));
    }

    @ParameterizedTest(name = "{0}: {1} -> CLOSED ({2})")
    @CsvSource({
            "SURRENDER_REQUEST, NEW, WITHDRAWN",
            "SURRENDER_REQUEST, IN_CONTACT, LOST_CONTACT",
            "SURRENDER_REQUEST, VERIFIED, PROVOCATION",
            "SURRENDER_REQUEST, HANDOVER_PLANNED, DUPLICATE",
            "SURRENDER_REQUEST, NEW, NOT_ELIGIBLE",
            "FAMILY_INQUIRY, NEW, WITHDRAWN",
            "FAMILY_INQUIRY, SEARCHING, DUPLICATE",
            "FAMILY_INQUIRY, SEARCHING, PROVOCATION"})
    void closesWithAReasonValidForTheKind(CaseKind kind, CaseStatus from, CloseReason reason) {
        var next = CaseLifecycle.apply(new CaseState(kind, from, null, null), StatusChange.close(reason));

        assertThat(next).isEqualTo(new CaseState(kind, CaseStatus.CLOSED, reason, null));
    }

    @Test
    void reopensASurrenderRequestClosedAsLostContact() {
        var closed = new CaseState(SURRENDER_REQUEST, CaseStatus.CLOSED, CloseReason.LOST_CONTACT, null);

        assertThat(CaseLifecycle.apply(closed, StatusChange.to(CaseStatus.IN_CONTACT)))
                .isEqualTo(new CaseState(SURRENDER_REQUEST, CaseStatus.IN_CONTACT, null, null));
    }

    @Test
    void answersAFamilyInquiryWithAnOutcomeAndKeepsItWhenClosing() {
        var searching = new CaseState(FAMILY_INQUIRY, CaseStatus.SEARCHING, null, null);

        var answered = CaseLifecycle.apply(searching, StatusChange.answer(InquiryOutcome.CAPTURED));
        var closed = CaseLifecycle.apply(answered, StatusChange.close(CloseReason.ANSWER_DELIVERED));

        assertThat(answered).isEqualTo(new CaseState(FAMILY_INQUIRY, CaseStatus.ANSWERED, null, InquiryOutcome.CAPTURED));
        assertThat(closed).isEqualTo(new CaseState(FAMILY_INQUIRY, CaseStatus.CLOSED, CloseReason.ANSWER_DELIVERED,
                InquiryOutcome.CAPTURED));
    }

    @Test
    void refusesToSkipSteps() {
        assertThatThrownBy(() -> CaseLifecycle.apply(CaseState.opened(SURRENDER_REQUEST),
                StatusChange.to(CaseStatus.SURRENDERED)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A surrender request cannot go from NEW to SURRENDERED; allowed next: IN_CONTACT, CLOSED");
    }

    @Test
    void refusesAnythingAfterSurrender() {
        assertThatThrownBy(() -> CaseLifecycle.apply(
                new CaseState(SURRENDER_REQUEST, CaseStatus.SURRENDERED, null, null),
                StatusChange.close(CloseReason.WITHDRAWN)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A surrender request cannot go from SURRENDERED to CLOSED; allowed next: none, "
                        + "SURRENDERED is final");
    }

    @Test
    void refusesToReopenACaseClosedForAnotherReasonThanLostContact() {
        assertThatThrownBy(() -> CaseLifecycle.apply(
                new CaseState(SURRENDER_REQUEST, CaseStatus.CLOSED, CloseReason.PROVOCATION, null),
                StatusChange.to(CaseStatus.IN_CONTACT)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A surrender request cannot go from CLOSED (PROVOCATION) to IN_CONTACT; allowed next: "
                        + "none, CLOSED (PROVOCATION) is final");
    }

    @Test
    void refusesToCloseWithoutAReason() {
        assertThatThrownBy(() -> CaseLifecycle.apply(CaseState.opened(SURRENDER_REQUEST),
                StatusChange.to(CaseStatus.CLOSED)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A surrender request is closed from NEW with one of the reasons WITHDRAWN, LOST_CONTACT, "
                        + "PROVOCATION, DUPLICATE, NOT_ELIGIBLE");
    }

    @Test
    void refusesACloseReasonOfTheOtherKind() {
        assertThatThrownBy(() -> CaseLifecycle.apply(CaseState.opened(FAMILY_INQUIRY),
                StatusChange.close(CloseReason.NOT_ELIGIBLE)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A family inquiry is closed from NEW with one of the reasons WITHDRAWN, PROVOCATION, "
                        + "DUPLICATE, not NOT_ELIGIBLE");
    }

    @Test
    void refusesAnAnswerWithoutOutcome() {
        assertThatThrownBy(() -> CaseLifecycle.apply(new CaseState(FAMILY_INQUIRY, CaseStatus.SEARCHING, null, null),
                StatusChange.to(CaseStatus.ANSWERED)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A family inquiry is answered with an outcome: CAPTURED, NO_INFORMATION");
    }

    @Test
    void refusesStatusesOfTheOtherKind() {
        assertThatThrownBy(() -> CaseLifecycle.apply(CaseState.opened(FAMILY_INQUIRY),
                StatusChange.to(CaseStatus.IN_CONTACT)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("A family inquiry cannot go from NEW to IN_CONTACT; allowed next: SEARCHING, CLOSED");
    }

    @Test
    void refusesAReasonOutsideClosing() {
        assertThatThrownBy(() -> CaseLifecycle.apply(CaseState.opened(SURRENDER_REQUEST),
                new StatusChange(CaseStatus.IN_CONTACT, CloseReason.WITHDRAWN, null)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessageContaining("A reason is given only when closing");
    }

    @Test
    void everyChangeFromEveryReachableStateFollowsTheTable() {
        var seen = new HashSet<CaseState>();
        var queue = new ArrayDeque<CaseState>(List.of(CaseState.opened(SURRENDER_REQUEST),
                CaseState.opened(FAMILY_INQUIRY)));
        var accepted = new HashSet<String>();
        while (!queue.isEmpty()) {
            var state = queue.poll();
            if (!seen.add(state)) {
                continue;
            }
            for (var change : allChanges()) {
                attempt(state, change).ifPresent(next -> {
                    accepted.add(key(state, change));
                    queue.add(next);
                });
            }
        }

        assertThat(accepted).as("every allowed transition is reachable and accepted").isEqualTo(ALLOWED);
    }

    @Test
    void randomSequencesOfAttemptsNeverLeaveTheTableNorAFinalState() {
        var seed = System.nanoTime();
        var random = new Random(seed);
        var changes = allChanges();
        for (int run = 0; run < 2_000; run++) {
            var state = CaseState.opened(random.nextBoolean() ? SURRENDER_REQUEST : FAMILY_INQUIRY);
            CaseState terminal = null;
            for (int step = 0; step < 25; step++) {
                var change = changes.get(random.nextInt(changes.size()));
                var next = attempt(state, change);
                if (terminal != null) {
                    assertThat(next).as("seed %d: %s is final", seed, terminal).isEmpty();
                }
                if (next.isPresent()) {
                    state = next.get();
                }
                if (CaseLifecycle.allowedNext(state).isEmpty()) {
                    terminal = state;
                }
            }
        }
    }

    /** Applies the change, checking it against the table either way. */
    private static Optional<CaseState> attempt(CaseState state, StatusChange change) {
        var key = key(state, change);
        try {
            var next = CaseLifecycle.apply(state, change);
            assertThat(ALLOWED).as("accepted %s", key).contains(key);
            assertThat(next.status()).isEqualTo(change.to());
            assertThat(next.closeReason()).isEqualTo(change.to() == CaseStatus.CLOSED ? change.reason() : null);
            return Optional.of(next);
        } catch (IllegalTransition refused) {
            assertThat(ALLOWED).as("refused %s", key).doesNotContain(key);
            assertThat(refused.getMessage()).as("refused %s", key)
                    .satisfiesAnyOf(
                            message -> assertThat(message).startsWith(state.kind().description() + " cannot go from")
                                    .contains("allowed next: "),
                            message -> assertThat(message).startsWith(state.kind().description() + " is "),
                            message -> assertThat(message).startsWith("A reason is given only when closing"))
                    .doesNotContain("null");
            return Optional.empty();
        }
    }

    private static List<StatusChange> allChanges() {
        var changes = new ArrayList<StatusChange>();
        for (var to : CaseStatus.values()) {
            changes.add(StatusChange.to(to));
            for (var reason : CloseReason.values()) {
                changes.add(new StatusChange(to, reason, null));
            }
            for (var outcome : InquiryOutcome.values()) {
                changes.add(new StatusChange(to, null, outcome));
            }
        }
        return changes;
    }

    private static String key(CaseState from, StatusChange change) {
        var fromKey = from.status() == CaseStatus.CLOSED ? "CLOSED/" + from.closeReason() : from.status().name();
        var toKey = change.to().name() + (change.reason() != null ? "/" + change.reason() : "")
                + (change.outcome() != null ? "/" + change.outcome() : "");
        return from.kind() + " " + fromKey + " -> " + toKey;
    }

    private static Set<String> expand(List<String> table) {
        var keys = new HashSet<String>();
        for (var line : table) {
            var kind = line.substring(0, line.indexOf(' '));
            var parts = line.substring(kind.length() + 1).split(" -> ");
            for (var from : parts[0].split("\\|")) {
                Arrays.stream(parts[1].split("\\|")).forEach(to -> keys.add(kind + " " + from + " -> " + to));
            }
        }
        return keys;
    }
}
