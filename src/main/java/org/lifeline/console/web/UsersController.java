package org.lifeline.console.web;

import java.util.UUID;
import java.util.function.Supplier;

import org.lifeline.operators.InvalidAccountChange;
import org.lifeline.operators.Operator;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.OperatorId;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Permission;
import org.lifeline.operators.Role;
import org.lifeline.platform.EmbeddedBackups;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** User administration, for admins only (the rule is in {@link ConsoleSecurityConfiguration}). */
@Controller
@RequestMapping(UsersController.PATH)
class UsersController {

    static final String PATH = "/console/users";

    private final OperatorManagement operators;
    private final OperatorAdministration administration;

    private final ConsoleLanguage text;
    private final EmbeddedBackups backups;

    UsersController(OperatorManagement operators, OperatorAdministration administration, ConsoleLanguage text,
            EmbeddedBackups backups) {
        this.operators = operators;
        this.administration = administration;
        this.text = text;
        this.backups = backups;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("operators", operators.list());
        model.addAttribute("roles", Role.values());
        model.addAttribute("permissions", Permission.values());
        // admins keep the embedded database's backups: whether they are made, and if not why (no personal data)
        model.addAttribute("backups", backups.status().orElse(null));
        return "console/users";
    }

    @PostMapping
    String create(@RequestParam String username, @RequestParam Role role, @RequestParam String password,
            RedirectAttributes flash) {
        return change(flash, () -> {
            var created = administration.create(username, role, password);
            return text.text("console.users.created", created.username());
        });
    }

    @PostMapping("/{id}/enabled")
    String setEnabled(@PathVariable UUID id, @RequestParam boolean enabled, RedirectAttributes flash) {
        return change(flash, () -> {
            administration.setEnabled(new OperatorId(id), enabled);
            return text.text(enabled ? "console.users.enabled.done" : "console.users.disabled.done");
        });
    }

    @PostMapping("/{id}/role")
    String changeRole(@PathVariable UUID id, @RequestParam Role role, RedirectAttributes flash) {
        return change(flash, () -> {
            administration.changeRole(new OperatorId(id), role);
            return text.text("console.users.role.done", role);
        });
    }

    @PostMapping("/{id}/second-factor-reset")
    String resetSecondFactor(@PathVariable UUID id, RedirectAttributes flash) {
        return change(flash, () -> {
            administration.resetSecondFactor(new OperatorId(id));
            return text.text("console.users.reset.done");
        });
    }

    @PostMapping("/password")
    String setPassword(@RequestParam UUID id, @RequestParam String password, RedirectAttributes flash) {
        return change(flash, () -> {
            var operator = new OperatorId(id);
            administration.setPassword(operator, password);
            return text.text("console.users.password.done",
                    operators.find(operator).map(Operator::username).orElse(""));
        });
    }

    /** Runs a change and reports how it went on the list page. */
    private String change(RedirectAttributes flash, Supplier<String> change) {
        try {
            flash.addFlashAttribute("notice", change.get());
        } catch (InvalidAccountChange e) {
            flash.addFlashAttribute("problem", text.refusal(e));
        }
        return "redirect:" + PATH;
    }
}
