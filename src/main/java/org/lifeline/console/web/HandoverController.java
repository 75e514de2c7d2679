package org.lifeline.console.web;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.lifeline.cases.CaseId;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseUnchangeable;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseLifecycle;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.IllegalTransition;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The coordinator's view: verified surrender requests and planned handovers, with what planning needs (grid
 * reference, time window, group size), the plan (meeting point, time window, sector, instructions sent) and the
 * outcome. The plan is kept in the case's details under {@code handover.*}, encrypted like the rest.
 */
@Controller
class HandoverController {

    static final String PATH = "/console/handovers";
    private static final List<String> PLAN = List.of("grid", "window", "sector", "instructions");

    private final CaseManagement cases;
    private final AccessRecord access;
    private final OperatorManagement operators;
    private final ConsoleChanges changes;

    private final ConsoleLanguage text;

    HandoverController(CaseManagement cases, AccessRecord access, OperatorManagement operators, ConsoleLanguage text,
            ConsoleChanges changes) {
        this.cases = cases;
        this.access = access;
        this.operators = operators;
        this.text = text;
        this.changes = changes;
    }

    @GetMapping(PATH)
    @Transactional
    String list(Model model) {
        var ready = cases.active().stream().filter(c -> CaseLifecycle.handoverPlannable(c.state())).toList();
        ready.forEach(c -> access.record("case.read", c.id().value().toString(), Outcome.SUCCEEDED));
        model.addAttribute("handovers", ready.stream()
                .map(c -> {
                    // a case may have no location: he did not know where he was, or asked to be erased
                    var handover = new HashMap<String, Object>();
                    handover.put("kase", c);
                    handover.put("location", CaseController.location(c.details()));
                    return handover;
                }).toList());
        return "console/handovers";
    }

    /**
     * Records the plan and moves the case to HANDOVER_PLANNED; a plan changed later is recorded again (in the access
     * record; the history keeps status changes). Only for a case the lifecycle plans a handover for.
     */
    @PostMapping(PATH + "/{id}/plan")
    String plan(@PathVariable UUID id, @RequestParam Map<String, String> form, @RequestParam long version,
            RedirectAttributes redirect) {
        var view = caseOf(id);
        if (view.erased()) {
            return refuse(id, text.text("console.case.unchangeable.erased"), redirect);
        }
        if (!CaseLifecycle.handoverPlannable(view.state())) {
            return refuse(id, text.text("console.handovers.plan.not-ready"), redirect);
        }
        if (PLAN.stream().limit(2).anyMatch(field -> form.getOrDefault(field, "").isBlank())) {
            return refuse(id, text.text("console.handovers.plan.missing"), redirect);
        }
        var details = new LinkedHashMap<>(view.details());
        PLAN.forEach(field -> details.put("handover." + field, form.getOrDefault(field, "").strip()));
        try {
            changes.run(() -> {
                var planned = cases.updateDetails(view.id(), details, version);
                if (planned.status() == CaseStatus.VERIFIED) {
                    cases.transition(planned.id(), StatusChange.to(CaseStatus.HANDOVER_PLANNED), "Handover planned",
                            actor(), planned.version());
                }
                access.record("case.handover-plan", id.toString(), Outcome.SUCCEEDED);
            });
        } catch (CaseUnchangeable e) {
            return refuse(id, text.refusal(e), redirect);
        } catch (IllegalTransition | OptimisticLockingFailureException e) {
            return refuse(id, e.getMessage(), redirect);
        }
        return "redirect:" + PATH;
    }

    /** The outcome: he came over (SURRENDERED), or the handover failed and the case goes back to VERIFIED. */
    @PostMapping(PATH + "/{id}/outcome")
    String outcome(@PathVariable UUID id, @RequestParam CaseStatus outcome, @RequestParam String reason,
            @RequestParam long version, RedirectAttributes redirect) {
        var view = caseOf(id);
        if (outcome != CaseStatus.SURRENDERED && outcome != CaseStatus.VERIFIED || reason.isBlank()) {
            return refuse(id, text.text("console.handovers.outcome.invalid"), redirect);
        }
        try {
            changes.run(() -> {
                cases.transition(view.id(), StatusChange.to(outcome), reason.strip(), actor(), version);
                access.record("case.handover-outcome", id.toString(), Outcome.SUCCEEDED);
            });
        } catch (CaseUnchangeable e) {
            return refuse(id, text.refusal(e), redirect);
        } catch (IllegalTransition | OptimisticLockingFailureException e) {
            return refuse(id, e.getMessage(), redirect);
        }
        return "redirect:" + PATH;
    }

    /** Recorded in a transaction of its own (none is open here), so the refusal stays on record. */
    private String refuse(UUID id, String problem, RedirectAttributes redirect) {
        access.record("case.change", id.toString(), Outcome.REFUSED);
        redirect.addFlashAttribute("problem", problem);
        return "redirect:" + PATH;
    }

    private CaseView caseOf(UUID id) {
        return cases.find(new CaseId(id)).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String actor() {
        return operators.current().orElseThrow().username();
    }
}
