package org.lifeline.console.web;

import java.util.Optional;

import org.lifeline.channels.SetAsideUpdates;
import org.lifeline.operators.Permission;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admins see the inbound updates set aside after their last failed attempt, and try each again or discard it. Never
 * what an update says: its channel, times, attempts, the class of its failure and the conversation it was handed
 * over in. Every look and action is in the access record ({@code inbound.failed.read}, {@code .retry},
 * {@code .discard}), and so is every refusal of these paths ({@link #refusedAction}), which the rule in
 * {@link ConsoleSecurityConfiguration} makes.
 */
@Controller
class SetAsideController {

    static final String PATH = "/console/inbound-failed";
    /** How many are listed; more than this waiting means something is broken that a list will not mend. */
    static final int SHOWN = 200;

    private final SetAsideUpdates updates;
    private final AccessRecord access;
    private final ConsoleLanguage text;

    SetAsideController(SetAsideUpdates updates, AccessRecord access, ConsoleLanguage text) {
        this.updates = updates;
        this.access = access;
        this.text = text;
    }

    @GetMapping(PATH)
    @Transactional
    String list(Model model, Authentication who) {
        model.addAttribute("updates", updates.list(SHOWN));
        // an admin holds no READ_CASE: the conversation's id is for him to hand to an operator, not a link he is refused
        model.addAttribute("readsCases", who.getAuthorities().stream()
                .anyMatch(a -> Permission.READ_CASE.name().equals(a.getAuthority())));
        model.addAttribute("total", updates.count());
        access.record("inbound.failed.read", null, Outcome.SUCCEEDED);
        return "console/inbound-failed";
    }

    @PostMapping(PATH + "/{id}/retry")
    @Transactional
    String retry(@PathVariable long id, RedirectAttributes flash) {
        return acted("retry", id, updates.retry(id), flash);
    }

    @PostMapping(PATH + "/{id}/discard")
    @Transactional
    String discard(@PathVariable long id, RedirectAttributes flash) {
        return acted("discard", id, updates.discard(id), flash);
    }

    private String acted(String action, long id, SetAsideUpdates.Outcome outcome, RedirectAttributes flash) {
        var done = outcome == SetAsideUpdates.Outcome.DONE;
        access.record("inbound.failed." + action, Long.toString(id), done ? Outcome.SUCCEEDED : Outcome.REFUSED);
        var key = "console.inbound-failed." + action + "." + outcome.name().toLowerCase(java.util.Locale.ROOT);
        flash.addFlashAttribute(done ? "notice" : "problem", text.text(key, Long.toString(id)));
        return "redirect:" + PATH;
    }

    /**
     * The access-record action and subject of a refused request to these pages (the security rule refused it, or
     * its form token was wrong), for {@link ConsoleSecurityConfiguration} to record; none for any other path. The
     * subject is the update's id only when it is one: nothing else of a request reaches the record.
     */
    static Optional<Refused> refusedAction(String path) {
        var action = ACTION.matcher(path);
        if (action.matches()) {
            return Optional.of(new Refused("inbound.failed." + action.group(2), action.group(1)));
        }
        return path.equals(PATH) || path.startsWith(PATH + "/")
                ? Optional.of(new Refused("inbound.failed.read", null)) : Optional.empty();
    }

    /** A refused request's access-record action, and the update's id (or null). */
    record Refused(String action, String subject) {
    }

    private static final java.util.regex.Pattern ACTION =
            java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(PATH) + "/([0-9]{1,18})/(retry|discard)");
}
