package org.lifeline.console.web;

import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Permission;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The console's home, the queue, and the page shown when something is not allowed. */
@Controller
class ConsolePages {

    static final String DENIED = "/console/denied";

    private final OperatorManagement operators;

    ConsolePages(OperatorManagement operators) {
        this.operators = operators;
    }

    /** The queue for those who work cases; anyone else lands on the first section open to them (admins: users). */
    @GetMapping("/console")
    String queue() {
        if (operators.can(Permission.READ_QUEUE)) {
            return "console/queue";
        }
        return operators.current().map(ConsoleSection::openTo).orElseThrow().stream().findFirst()
                .map(section -> "redirect:" + section.path())
                .orElse("forward:" + DENIED);
    }

    /** Where refused requests are forwarded, whatever their method (a POST without a valid CSRF token, too). */
    @RequestMapping(DENIED)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String denied() {
        return "console/denied";
    }
}
