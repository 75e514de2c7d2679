package org.lifeline.console.web;

import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.channels.OutboundBacklog;
import org.lifeline.channels.PhoneLine;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Permission;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The console's home, the queue with its live updates, and the page shown when something is not allowed. */
@Controller
class ConsolePages {

    static final String DENIED = "/console/denied";

    static final String EVENTS = "/console/events";

    private final OperatorManagement operators;
    private final Queue queue;
    private final ConsoleEvents events;
    private final PhoneLine phoneLine;
    private final OutboundBacklog outbound;

    ConsolePages(OperatorManagement operators, Queue queue, ConsoleEvents events, PhoneLine phoneLine,
            OutboundBacklog outbound) {
        this.outbound = outbound;
        this.operators = operators;
        this.queue = queue;
        this.events = events;
        this.phoneLine = phoneLine;
    }

    /**
     * The queue for those who work cases; anyone else lands on the first section open to them (admins: users).
     * It lists ids, statuses and languages only, no personal data, so listing it is not an access-record entry.
     */
    @GetMapping("/console")
    String queue(Queue.Filter filter, Model model) {
        if (operators.can(Permission.READ_QUEUE)) {
            model.addAttribute("filter", filter);
            model.addAttribute("items", queue.items(filter));
            model.addAttribute("statuses", CaseStatus.values());
            model.addAttribute("kinds", CaseKind.values());
            model.addAttribute("assignees", operators.holding(Permission.READ_CASE));
            model.addAttribute("campaigns", queue.campaigns());
            model.addAttribute("waitingCallers", phoneLine.waitingByLanguage());
            // counts per bot or number, no personal data: operators see why replies are slow to arrive
            model.addAttribute("outboundBacklog", outbound.waiting());
            return "console/queue";
        }
        return operators.current().map(ConsoleSection::openTo).orElseThrow().stream().findFirst()
                .map(section -> "redirect:" + section.path())
                .orElse("forward:" + DENIED);
    }

    /** Tells the queue page, through console.js, when to fetch itself again. */
    @GetMapping(path = EVENTS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
        return events.subscribe(SecurityContextHolder.getContext().getAuthentication());
    }

    /** Where refused requests are forwarded, whatever their method (a POST without a valid CSRF token, too). */
    @RequestMapping(DENIED)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String denied() {
        return "console/denied";
    }
}
