package org.lifeline.console.web;

import java.util.List;

import org.lifeline.channels.PhoneLine;
import org.lifeline.operators.InvalidAccountChange;
import org.lifeline.operators.OperatorDuty;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The phone line as an operator sees it: his own duty (on or off, the languages he takes callers in, where calls
 * reach him) and the callers waiting now, by language. Each operator sets only his own duty; every change goes to
 * the access record (never the address itself).
 */
@Controller
class DutyController {

    static final String PATH = "/console/duty";

    private final OperatorManagement operators;
    private final OperatorDuty duty;
    private final PhoneLine phoneLine;
    private final AccessRecord access;
    private final ConsoleLanguage text;

    DutyController(OperatorManagement operators, OperatorDuty duty, PhoneLine phoneLine, AccessRecord access,
            ConsoleLanguage text) {
        this.operators = operators;
        this.duty = duty;
        this.phoneLine = phoneLine;
        this.access = access;
        this.text = text;
    }

    @GetMapping(PATH)
    String page(Model model) {
        var operator = operators.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN));
        model.addAttribute("duty", duty.of(operator.id()));
        model.addAttribute("languages", OperatorDuty.LANGUAGES);
        model.addAttribute("waiting", phoneLine.waitingByLanguage());
        return "console/duty";
    }

    @PostMapping(PATH)
    String change(@RequestParam(defaultValue = "false") boolean onDuty,
            @RequestParam(name = "language", required = false) List<String> languages,
            @RequestParam(required = false) String reachAt, RedirectAttributes flash) {
        var operator = operators.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN));
        try {
            duty.set(operator.id(), onDuty, languages == null ? List.of() : languages, reachAt);
            access.record("operator.duty", operator.id().value().toString(), Outcome.SUCCEEDED);
            flash.addFlashAttribute("notice", text.text(onDuty ? "console.duty.now-on" : "console.duty.now-off"));
        } catch (InvalidAccountChange e) {
            access.record("operator.duty", operator.id().value().toString(), Outcome.REFUSED);
            flash.addFlashAttribute("problem", text.refusal(e));
        }
        return "redirect:" + PATH;
    }
}
